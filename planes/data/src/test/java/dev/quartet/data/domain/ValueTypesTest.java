package dev.quartet.data.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueTypesTest {
  private static final String HEX = "ab".repeat(32);

  @Test
  void blobKeysRefuseAnythingButADigest() {
    assertEquals("blob:sha256/" + HEX, BlobKey.parse("blob:sha256/" + HEX).uri());
    for (String bad : List.of("blob:sha256/../../etc/passwd", "blob:sha256/" + HEX + "/../x", "blob:sha256/" + HEX.toUpperCase(),
        "file:///etc/passwd", "blob:sha256/", "blob:sha256/" + HEX + "0")) {
      assertThrows(IllegalArgumentException.class, () -> BlobKey.parse(bad), bad);
    }
  }

  @Test
  void payloadIdsParseFromIdOrReference() {
    PayloadId id = PayloadId.random();
    assertEquals(id, PayloadId.parse(id.toString()));
    assertEquals(id, PayloadId.parse(id.ref()));
    assertTrue(id.ref().startsWith("quartet:payload/"));
    for (String bad : List.of("..", "../x", id.toString().toUpperCase(), "quartet:payload/", "x" + id)) {
      assertThrows(IllegalArgumentException.class, () -> PayloadId.parse(bad), bad);
    }
  }

  @Test
  void classificationsAreOrderedAndTheUpperTwoEncrypted() {
    assertFalse(Classification.PUBLIC.encryptedAtRest());
    assertFalse(Classification.INTERNAL.encryptedAtRest());
    assertTrue(Classification.CONFIDENTIAL.encryptedAtRest());
    assertTrue(Classification.RESTRICTED.encryptedAtRest());
    assertEquals(Classification.CONFIDENTIAL, Classification.parse("confidential"));
    assertThrows(IllegalArgumentException.class, () -> Classification.parse("SECRET"));
  }

  @Test
  void routesFollowTheirSyntax() {
    assertEquals("default/dev.main", Routes.requireValid("default/dev.main"));
    for (String bad : new String[] {"", "/abs", "UPPER", "a b", "x".repeat(129)}) {
      assertThrows(IllegalArgumentException.class, () -> Routes.requireValid(bad), bad);
    }
  }

  @Test
  void encryptedClassificationsNeedAKeyIdAndClearOnesRefuseOne() {
    var blob = new PayloadLocation.Blob(BlobKey.parse("blob:sha256/" + HEX));
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertThrows(IllegalArgumentException.class, () -> new StoredPayload(PayloadId.random(), new Sha256(HEX), 1,
        Classification.CONFIDENTIAL, "default", blob, null, null, "admin", now));
    assertThrows(IllegalArgumentException.class, () -> new StoredPayload(PayloadId.random(), new Sha256(HEX), 1,
        Classification.PUBLIC, "default", blob, "kek-x", null, "admin", now));
  }

  @Test
  void accessIsGrantedUpToARolesClearance() {
    var policy = new DataAccessPolicy(Map.of(
        "ADMIN", DataAccessPolicy.Clearance.all(),
        "READER", new DataAccessPolicy.Clearance(Classification.INTERNAL, null)));
    assertTrue(policy.allows(Set.of("ADMIN"), DataAccess.WRITE, Classification.RESTRICTED));
    assertTrue(policy.allows(Set.of("READER"), DataAccess.READ, Classification.INTERNAL));
    assertFalse(policy.allows(Set.of("READER"), DataAccess.READ, Classification.CONFIDENTIAL));
    assertFalse(policy.allows(Set.of("READER"), DataAccess.WRITE, Classification.PUBLIC));
    assertFalse(policy.allows(Set.of("AUDITOR"), DataAccess.READ, Classification.PUBLIC));
  }
}

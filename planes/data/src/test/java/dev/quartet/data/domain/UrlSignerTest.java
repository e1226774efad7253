package dev.quartet.data.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UrlSignerTest {
  private static final Instant NOW = Instant.parse("2026-11-24T03:00:00Z");
  private static final Instant EXPIRES = NOW.plusSeconds(600);
  private static final String HEX = "ab".repeat(32);
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=&%./?";
  private final UrlSigner signer = new UrlSigner(key(1));
  private final SignedResource.ReadableBlob blob = new SignedResource.ReadableBlob(
      PayloadId.parse("0b6e1c3e-1111-4222-8333-944455556666"), new Sha256(HEX));
  private final UploadSlot slot = new UploadSlot(UUID.fromString("7f000000-1111-4222-8333-944455556666"),
      Classification.CONFIDENTIAL, "default", "acme", new Sha256(HEX), 1024, "alice", EXPIRES);

  @Test
  void anUnalteredUrlIsGrantedUntilItsExpiry() {
    for (SignedResource r : List.of(blob, slot)) {
      String query = signer.query(r, EXPIRES);
      assertEquals(new UrlCheck.Granted(EXPIRES), signer.check(r, r.method(), r.path(), query, NOW));
      assertInstanceOf(UrlCheck.Granted.class, signer.check(r, r.method(), r.path(), query, EXPIRES.minusSeconds(1)));
      UrlCheck atExpiry = signer.check(r, r.method(), r.path(), query, EXPIRES);
      assertTrue(atExpiry instanceof UrlCheck.Refused refused && refused.reason().contains("expired"), atExpiry.toString());
      assertInstanceOf(UrlCheck.Refused.class, signer.check(r, r.method(), r.path(), query, EXPIRES.plusSeconds(86_400)));
    }
  }

  @Test
  void everyAlteredByteOfPathOrQueryIsRefused() {
    for (SignedResource r : List.of(blob, slot)) {
      String path = r.path();
      String query = signer.query(r, EXPIRES);
      for (int i = 0; i < path.length(); i++) {
        for (char c : new char[] {'0', 'f', 'A', '/', '.'}) {
          String altered = path.substring(0, i) + c + path.substring(i + 1);
          if (!altered.equals(path)) {
            assertRefused(signer.check(r, r.method(), altered, query, NOW), "path " + altered);
          }
        }
      }
      for (int i = 0; i < query.length(); i++) {
        for (char c : ALPHABET.toCharArray()) {
          String altered = query.substring(0, i) + c + query.substring(i + 1);
          if (!altered.equals(query)) {
            assertRefused(signer.check(r, r.method(), path, altered, NOW), "query " + altered);
          }
        }
      }
    }
  }

  @Test
  void randomEditsOfAUrlAreRefused() {
    Random random = new Random(20261124L);
    String url = blob.path() + "?" + signer.query(blob, EXPIRES);
    for (int n = 0; n < 2000; n++) {
      StringBuilder b = new StringBuilder(url);
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(b.length());
        switch (random.nextInt(3)) {
          case 0 -> b.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
          case 1 -> b.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
          default -> b.deleteCharAt(at);
        }
      }
      String edited = b.toString();
      if (edited.equals(url)) {
        continue;
      }
      int q = edited.indexOf('?');
      String path = q < 0 ? edited : edited.substring(0, q);
      String query = q < 0 ? null : edited.substring(q + 1);
      assertRefused(signer.check(blob, "GET", path, query, NOW), "seed 20261124 edit #" + n + ": " + edited);
    }
  }

  @Test
  void aQueryInAnyOtherShapeIsRefused() {
    String query = signer.query(blob, EXPIRES);
    String exp = query.substring(4, query.indexOf('&'));
    String sig = query.substring(query.indexOf("sig=") + 4);
    for (String other : new String[] {null, "", query + "&x=1", "x=1&" + query, "sig=" + sig + "&exp=" + exp,
        "exp=0" + exp + "&sig=" + sig, query + "=", "exp=" + exp + "&sig=" + sig + "%3D", "exp=" + exp + "&amp;sig=" + sig}) {
      assertRefused(signer.check(blob, "GET", blob.path(), other, NOW), "query " + other);
    }
  }

  @Test
  void aUrlIsForItsOwnBlobAndMethodOnly() {
    String query = signer.query(blob, EXPIRES);
    var otherId = new SignedResource.ReadableBlob(PayloadId.random(), blob.sha256());
    assertRefused(signer.check(otherId, "GET", otherId.path(), query, NOW), "another blob's path");
    var otherBytes = new SignedResource.ReadableBlob(blob.id(), new Sha256("cd".repeat(32)));
    assertRefused(signer.check(otherBytes, "GET", blob.path(), query, NOW), "same id, other content");
    assertRefused(signer.check(blob, "PUT", blob.path(), query, NOW), "a read URL used to write");
    String slotQuery = signer.query(slot, EXPIRES);
    assertRefused(signer.check(slot, "GET", slot.path(), slotQuery, NOW), "a write URL used to read");
    assertRefused(signer.check(blob, "GET", blob.path(), slotQuery, NOW), "a slot's signature on a blob");
    assertRefused(new UrlSigner(key(2)).check(blob, "GET", blob.path(), query, NOW), "signed with another key");
  }

  @Test
  void everySlotConstraintIsBoundIntoTheSignature() {
    String query = signer.query(slot, EXPIRES);
    List<UploadSlot> changed = List.of(
        new UploadSlot(slot.id(), Classification.RESTRICTED, slot.route(), slot.tenant(), slot.expectedSha256(), slot.maxBytes(),
            slot.issuedBy(), slot.expiresAt()),
        new UploadSlot(slot.id(), slot.classification(), "other", slot.tenant(), slot.expectedSha256(), slot.maxBytes(),
            slot.issuedBy(), slot.expiresAt()),
        new UploadSlot(slot.id(), slot.classification(), slot.route(), null, slot.expectedSha256(), slot.maxBytes(),
            slot.issuedBy(), slot.expiresAt()),
        new UploadSlot(slot.id(), slot.classification(), slot.route(), slot.tenant(), null, slot.maxBytes(),
            slot.issuedBy(), slot.expiresAt()),
        new UploadSlot(slot.id(), slot.classification(), slot.route(), slot.tenant(), slot.expectedSha256(), slot.maxBytes() + 1,
            slot.issuedBy(), slot.expiresAt()),
        new UploadSlot(slot.id(), slot.classification(), slot.route(), slot.tenant(), slot.expectedSha256(), slot.maxBytes(),
            "mallory", slot.expiresAt()),
        new UploadSlot(slot.id(), slot.classification(), slot.route(), slot.tenant(), slot.expectedSha256(), slot.maxBytes(),
            slot.issuedBy(), slot.expiresAt().plusSeconds(3600)));
    for (UploadSlot s : changed) {
      assertRefused(signer.check(s, "PUT", s.path(), query, NOW), "changed slot " + s);
    }
  }

  @Test
  void aShortKeyIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new UrlSigner(new byte[UrlSigner.MIN_KEY_BYTES - 1]));
    assertThrows(IllegalArgumentException.class, () -> new UrlSigner(null));
  }

  @Test
  void keepsItsOwnCopyOfTheKey() {
    byte[] k = key(3);
    UrlSigner s = new UrlSigner(k);
    String before = s.query(blob, EXPIRES);
    Arrays.fill(k, (byte) 0);
    assertEquals(before, s.query(blob, EXPIRES), "the signer keeps its own copy of the key");
  }

  private static void assertRefused(UrlCheck check, String what) {
    assertInstanceOf(UrlCheck.Refused.class, check, what + " was granted");
  }

  private static byte[] key(int seed) {
    byte[] k = new byte[32];
    new Random(seed).nextBytes(k);
    return k;
  }
}

package dev.quartet.evidence.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactionTest {
  @Test
  void commitmentIsSha256OfSaltThenValue() throws Exception {
    byte[] salt = new byte[Redaction.SALT_BYTES];
    new Random(7).nextBytes(salt);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(salt);
    sha.update("alice@example.com".getBytes(StandardCharsets.UTF_8));
    assertEquals(Redaction.PREFIX + HexFormat.of().formatHex(sha.digest()), Redaction.commitment(salt, "alice@example.com"));
  }

  @Test
  void redactsOnlyTheSensitiveAttributesEachUnderItsOwnSalt() {
    long seed = System.nanoTime();
    Redaction.Redacted r = Redaction.redact(Map.of("email", "a@b.c", "phone", "a@b.c", "route", "eu"),
        Set.of("email", "phone"), new Random(seed));
    assertEquals("eu", r.attributes().get("route"), "seed " + seed);
    assertTrue(Redaction.isCommitment(r.attributes().get("email")), "seed " + seed);
    assertNotEquals(r.attributes().get("email"), r.attributes().get("phone"), "equal values, fresh salts; seed " + seed);
    Redaction.Opening email = r.openings().get("email");
    assertEquals(r.attributes().get("email"), Redaction.commitment(email.salt(), email.value()), "seed " + seed);
    assertFalse(email.toString().contains("a@b.c"), "an opening never prints its value");
  }

  @Test
  void refusesAnOpeningThatDoesNotOpenItsCommitment() {
    Redaction.Redacted r = Redaction.redact(Map.of("email", "a@b.c"), Set.of("email"), new Random(1));
    Redaction.Opening o = r.openings().get("email");
    byte[] salt = o.salt();
    salt[0] ^= 1;
    assertThrows(IllegalArgumentException.class, () -> new Redaction.Opening("email", o.commitment(), salt, "a@b.c"));
    assertThrows(IllegalArgumentException.class, () -> new Redaction.Opening("email", o.commitment(), o.salt(), "a@b.d"));
  }

  @Test
  void refusesAMissingOrAlreadyCommittedAttribute() {
    assertThrows(IllegalArgumentException.class, () -> Redaction.redact(Map.of(), Set.of("email"), new Random(1)));
    String committed = Redaction.commitment(new byte[Redaction.SALT_BYTES], "x");
    assertThrows(IllegalArgumentException.class,
        () -> Redaction.redact(Map.of("email", committed), Set.of("email"), new Random(1)));
  }
}

package dev.quartet.contracts.evidence;

import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.Plane;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
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

  @Test
  void redactsAnEventBeforeItIsEncodedKeepingIdsAndClearFields() {
    EvidenceEvent event = event(Map.of("subject", "alice@example.com", "jti", "j-1", "roles", "AUDITOR"));
    RedactedEvent r = Redaction.redact(event, Set.of("subject"), new Random(3));
    assertEquals(event.getId(), r.event().getId(), "the id stays, so the opening is deposited under it");
    assertEquals("j-1", r.event().getAttributes().get("jti"));
    assertEquals("AUDITOR", r.event().getAttributes().get("roles"));
    assertEquals(event.getArtifactDigests(), r.event().getArtifactDigests(), "digests stay in clear");
    String committed = r.event().getAttributes().get("subject");
    assertTrue(Redaction.isCommitment(committed), "subject is a commitment: " + committed);
    assertEquals(List.of("subject"), r.openings().stream().map(Redaction.Opening::attribute).toList());
    assertEquals(committed, Redaction.commitment(r.openings().get(0).salt(), "alice@example.com"), "the opening opens it");
    byte[] record = EventCodec.standard().encode(r.event());
    assertFalse(new String(record, StandardCharsets.ISO_8859_1).contains("alice"), "the encoded record never holds the value");
    assertFalse(r.toString().contains("alice"), "nor does its rendering: " + r);
    assertEquals("alice@example.com", event.getAttributes().get("subject"), "the caller's event is not changed");
  }

  @Test
  void refusesToRedactAnEventWithNothingSensitiveOrAnAbsentAttribute() {
    EvidenceEvent event = event(Map.of("jti", "j-1"));
    assertThrows(IllegalArgumentException.class, () -> Redaction.redact(event, Set.of(), new Random(1)));
    assertThrows(IllegalArgumentException.class, () -> Redaction.redact(event, Set.of("subject"), new Random(1)));
  }

  static EvidenceEvent event(Map<String, String> attributes) {
    return EvidenceEvent.newBuilder().setId("ev-1").setType("token.issued").setTenant("acme").setCorrelationId("token:j-1")
        .setApprovals(List.of()).setArtifactDigests(Map.of("config", "ab".repeat(32))).setOutcome("accepted")
        .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z")).setProducerPlane(Plane.CONTROL).setProducerVersion("test")
        .setAttributes(attributes).build();
  }
}

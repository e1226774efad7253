package dev.quartet.control.domain;

import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.DsseSignature;
import dev.quartet.contracts.trust.TrustRoot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishRulesTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private final SecureRandom random = new SecureRandom(new byte[] {1, 2, 3});
  private final AdminKeyPair alice = AdminKeyPair.generate(random);
  private final AdminKeyPair bob = AdminKeyPair.generate(random);
  private final AdminKeyPair carol = AdminKeyPair.generate(random);
  private final AdminKeyPair mallory = AdminKeyPair.generate(random);
  private final TrustRoot root = TrustRoot.create(List.of(alice.publicKey(), bob.publicKey(), carol.publicKey()), 2,
      Instant.parse("2030-01-01T00:00:00Z"));

  private PublishDecision decide(Optional<ConfigHead> head, DsseEnvelope env) {
    return PublishRules.decide(root, head, env, NOW);
  }

  private ConfigHead headV1() {
    var accepted = assertInstanceOf(PublishDecision.Accepted.class,
        decide(Optional.empty(), ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 1, "", "2030-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:18080")), alice, bob)));
    return new ConfigHead(accepted.snapshot());
  }

  private static RejectionReason rejected(PublishDecision d) {
    return assertInstanceOf(PublishDecision.Rejected.class, d, "expected a rejection, was " + d).reason();
  }

  @Test
  void acceptsAFirstVersionSignedByThePrivilegedThreshold() {
    ConfigHead head = headV1();
    assertEquals(1, head.version());
    assertTrue(head.digest().matches("[0-9a-f]{64}"));
  }

  @Test
  void aFirstVersionSettingPoliciesNeedsTwoAdmins() {
    var env = ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 1, "", "2030-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:18080")), alice);
    assertEquals(RejectionReason.THRESHOLD_NOT_MET, rejected(decide(Optional.empty(), env)));
  }

  @Test
  void aChangeOutsidePoliciesNeedsOneAdmin() {
    ConfigHead head = headV1();
    Map<String, Object> body = ConfigFixtures.body("127.0.0.1:18080");
    body.put("lease", Map.of("duration", "30s"));
    var env = ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 2, head.digest(), "2030-01-01T00:00:00Z", body), carol);
    assertInstanceOf(PublishDecision.Accepted.class, decide(Optional.of(head), env));
  }

  @Test
  void anEgressChangeNeedsTheEgressThreshold() {
    ConfigHead head = headV1();
    var env = ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 2, head.digest(), "2030-01-01T00:00:00Z", ConfigFixtures.body("10.0.0.1:443")), carol);
    assertEquals(RejectionReason.THRESHOLD_NOT_MET, rejected(decide(Optional.of(head), env)));
  }

  @Test
  void rejectsSignaturesByUnknownKeys() {
    var env = ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 1, "", "2030-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:18080")), mallory);
    assertEquals(RejectionReason.UNKNOWN_KEY, rejected(decide(Optional.empty(), env)));
  }

  @Test
  void rejectsATamperedSignature() {
    var env = ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 1, "", "2030-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:18080")), alice, bob);
    List<DsseSignature> sigs = new ArrayList<>(env.signatures());
    byte[] sig = sigs.get(0).sig();
    sig[7] ^= 0x01;
    sigs.set(0, new DsseSignature(sigs.get(0).keyid(), sig));
    var tampered = new DsseEnvelope(env.payloadType(), env.payload(), sigs);
    assertEquals(RejectionReason.BAD_SIGNATURE, rejected(decide(Optional.empty(), tampered)));
  }

  @Test
  void rejectsAPayloadChangedAfterSigning() {
    var env = ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 1, "", "2030-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:18080")), alice, bob);
    byte[] payload = ConfigSnapshot.canonical(ConfigFixtures.doc("default/dev", 1, "", "2030-01-01T00:00:00Z", ConfigFixtures.body("10.9.9.9:443")));
    var swapped = new DsseEnvelope(env.payloadType(), payload, env.signatures());
    assertEquals(RejectionReason.BAD_SIGNATURE, rejected(decide(Optional.empty(), swapped)));
  }

  @Test
  void rejectsAVersionThatIsNotHeadPlusOne() {
    ConfigHead head = headV1();
    var skipping = ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 3, head.digest(), "2030-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:18080")), alice, bob);
    assertEquals(RejectionReason.VERSION_NOT_NEXT, rejected(decide(Optional.of(head), skipping)));
  }

  @Test
  void rejectsAReplayOfAnOlderSignedSnapshot() {
    var v1 = ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 1, "", "2030-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:18080")), alice, bob);
    ConfigHead head = headV1();
    assertEquals(RejectionReason.VERSION_NOT_NEXT, rejected(decide(Optional.of(head), v1)), "rollback attack");
  }

  @Test
  void rejectsASnapshotSignedForAnotherScope() {
    ConfigHead head = headV1();
    var other = ConfigFixtures.signed(ConfigFixtures.doc("other/dev", 2, head.digest(), "2030-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:18080")), alice, bob);
    // Mix-and-match: a version made for another scope does not follow this scope's head.
    assertEquals(RejectionReason.VERSION_NOT_NEXT, rejected(decide(Optional.empty(), other)));
  }

  @Test
  void rejectsAParentThatIsNotTheHeadDigest() {
    ConfigHead head = headV1();
    var env = ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 2, "ab".repeat(32), "2030-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:18080")), alice, bob);
    assertEquals(RejectionReason.PARENT_MISMATCH, rejected(decide(Optional.of(head), env)));
  }

  @Test
  void rejectsAnExpiredSnapshot() {
    var env = ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 1, "", "2026-05-31T00:00:00Z", ConfigFixtures.body("127.0.0.1:18080")), alice, bob);
    assertEquals(RejectionReason.EXPIRED, rejected(decide(Optional.empty(), env)), "freeze attack");
  }

  @Test
  void rejectsAMalformedBodyNamingTheField() {
    Map<String, Object> body = ConfigFixtures.body("127.0.0.1:18080");
    body.put("routes", List.of(Map.of("name", "default", "classifications", List.of("SECRET"))));
    var env = ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 1, "", "2030-01-01T00:00:00Z", body), alice, bob);
    var d = assertInstanceOf(PublishDecision.Rejected.class, decide(Optional.empty(), env));
    assertEquals(RejectionReason.MALFORMED, d.reason());
    assertTrue(d.detail().startsWith("body.routes[0].classifications[0]"), d.detail());
  }

  @Test
  void rejectsAPayloadThatIsNotCanonical() {
    byte[] pretty = "{ \"version\": 1 }".getBytes(StandardCharsets.UTF_8);
    var env = Dsse.sign(DsseEnvelope.unsigned(ConfigSnapshot.PAYLOAD_TYPE, pretty), alice);
    var d = assertInstanceOf(PublishDecision.Rejected.class, decide(Optional.empty(), env));
    assertEquals(RejectionReason.MALFORMED, d.reason());
    assertTrue(d.detail().contains("canonical"), d.detail());
  }

  @Test
  void rejectsAnotherPayloadType() {
    var env = Dsse.sign(DsseEnvelope.unsigned("application/json",
        ConfigSnapshot.canonical(ConfigFixtures.doc("default/dev", 1, "", "2030-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:18080")))), alice);
    assertEquals(RejectionReason.MALFORMED, rejected(decide(Optional.empty(), env)));
  }

  @Test
  void rejectsEverythingOnceTheTrustRootHasExpired() {
    var env = ConfigFixtures.signed(ConfigFixtures.doc("default/dev", 1, "", "2035-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:18080")), alice, bob);
    assertEquals(RejectionReason.TRUST_EXPIRED,
        rejected(PublishRules.decide(root, Optional.empty(), env, Instant.parse("2031-01-01T00:00:00Z"))));
  }
}

package dev.quartet.contracts.config;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.TrustRoot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class SnapshotVerifierTest {
  private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
  private static final String FAR = "2030-01-01T00:00:00Z";
  private static final ConfigScope SCOPE = ConfigScope.parse("acme/dev");
  // Seeded so a failing corruption reproduces; the keys themselves are random.
  private final Random seeded = new Random(1124);
  private final AdminKeyPair alice = AdminKeyPair.generate(new SecureRandom());
  private final AdminKeyPair bob = AdminKeyPair.generate(new SecureRandom());
  private final ConfigTrust trust = new ConfigTrust(root(Instant.parse(FAR)), Duration.ofMinutes(5), 1 << 20);

  @Test
  void linksAChainOfVersionsSignedAsEachChangeNeeds() {
    DsseEnvelope v1 = signed(doc(1, "", FAR, body("PUBLIC")), alice, bob);
    ConfigChain chain = ConfigChain.start(SCOPE).linked(linked(check(ConfigChain.start(SCOPE), v1)));
    assertEquals(1, chain.tipOrNull().version());
    // Routes only: the scope threshold (1) suffices.
    DsseEnvelope v2 = signed(doc(2, digest(v1), FAR, body("RESTRICTED")), alice);
    chain = chain.linked(linked(check(chain, v2)));
    assertEquals(List.of("RESTRICTED"), List.copyOf(ConfigRoutes.of(chain.tipOrNull()).route("default").orElseThrow().classifications()));
    assertInstanceOf(SnapshotCheck.Replayed.class, check(chain, v2), "the tip's own bytes again");
  }

  @Test
  void aPolicyChangeNeedsThePolicyThreshold() {
    DsseEnvelope v1 = signed(doc(1, "", FAR, body("PUBLIC")), alice);
    assertRefused(SnapshotCheck.Reason.UNDER_SIGNED, check(ConfigChain.start(SCOPE), v1), "first version sets policies: 2 needed");
    ConfigChain chain = ConfigChain.start(SCOPE).linked(linked(check(ConfigChain.start(SCOPE), signed(v1, bob))));
    Map<String, Object> changed = body("PUBLIC");
    changed.put("policies", Map.of("egress", Map.of("allow", List.of("10.0.0.1:443"))));
    DsseEnvelope v2 = signed(doc(2, chain.tipOrNull().digest(), FAR, changed), alice);
    assertRefused(SnapshotCheck.Reason.UNDER_SIGNED, check(chain, v2), "egress change by one admin");
  }

  @Test
  void refusesRollbackGapBrokenChainOtherScopeAndStrangers() {
    DsseEnvelope v1 = signed(doc(1, "", FAR, body("PUBLIC")), alice, bob);
    ConfigChain chain = ConfigChain.start(SCOPE).linked(linked(check(ConfigChain.start(SCOPE), v1)));
    DsseEnvelope v2 = signed(doc(2, digest(v1), FAR, body("INTERNAL")), alice);
    ConfigChain at2 = chain.linked(linked(check(chain, v2)));
    assertRefused(SnapshotCheck.Reason.ROLLBACK, check(at2, v1), "older version");
    assertRefused(SnapshotCheck.Reason.GAP, check(chain, signed(doc(3, digest(v2), FAR, body("PUBLIC")), alice)), "skips v2");
    assertRefused(SnapshotCheck.Reason.BROKEN_CHAIN, check(chain, signed(doc(2, "0".repeat(64), FAR, body("PUBLIC")), alice)), "parent");
    Map<String, Object> other = doc(2, digest(v1), FAR, body("PUBLIC"));
    other.put("scope", "globex/dev");
    assertRefused(SnapshotCheck.Reason.WRONG_SCOPE, check(chain, signed(other, alice)), "another scope");
    AdminKeyPair stranger = AdminKeyPair.generate(new SecureRandom());
    assertRefused(SnapshotCheck.Reason.UNDER_SIGNED, check(chain, signed(doc(2, digest(v1), FAR, body("PUBLIC")), stranger)), "unknown key");
    assertRefused(SnapshotCheck.Reason.UNDER_SIGNED, check(chain, DsseEnvelope.unsigned(ConfigSnapshot.PAYLOAD_TYPE,
        CanonicalJson.serialize(doc(2, digest(v1), FAR, body("PUBLIC"))))), "unsigned");
    Map<String, Object> future = doc(2, digest(v1), FAR, body("PUBLIC"));
    future.put("issuedAt", NOW.plus(Duration.ofHours(1)).toString());
    assertRefused(SnapshotCheck.Reason.NOT_YET_VALID, check(chain, signed(future, alice)), "issued in the future");
  }

  @Test
  void refusesMalformedEnvelopesAndAnExpiredRoot() {
    byte[] notCanonical = "{ \"scope\": \"acme/dev\" }".getBytes(StandardCharsets.UTF_8);
    assertRefused(SnapshotCheck.Reason.MALFORMED, check(ConfigChain.start(SCOPE),
        Dsse.sign(DsseEnvelope.unsigned(ConfigSnapshot.PAYLOAD_TYPE, notCanonical), alice)), "not canonical");
    assertRefused(SnapshotCheck.Reason.MALFORMED, SnapshotVerifier.check(ConfigChain.start(SCOPE), trust,
        "not json".getBytes(StandardCharsets.UTF_8), 1, NOW), "not an envelope");
    DsseEnvelope v1 = signed(doc(1, "", FAR, body("PUBLIC")), alice, bob);
    var small = new ConfigTrust(trust.root(), Duration.ZERO, 10);
    assertRefused(SnapshotCheck.Reason.MALFORMED, SnapshotVerifier.check(ConfigChain.start(SCOPE), small, v1.toJson(), 1, NOW), "too large");
    var expired = new ConfigTrust(root(NOW.minusSeconds(1)), Duration.ZERO, 1 << 20);
    assertRefused(SnapshotCheck.Reason.TRUST_EXPIRED, SnapshotVerifier.check(ConfigChain.start(SCOPE), expired, v1.toJson(), 1, NOW),
        "expired root");
  }

  @Test
  void anExpiredVersionStillLinksButSaysItIsExpired() {
    DsseEnvelope v1 = signed(doc(1, "", NOW.minusSeconds(60).toString(), body("PUBLIC")), alice, bob);
    ConfigSnapshot s = linked(check(ConfigChain.start(SCOPE), v1));
    assertEquals(true, s.isExpiredAt(NOW));
  }

  @Test
  void noCorruptedPayloadOrSignatureEverLinks() {
    DsseEnvelope good = signed(doc(1, "", FAR, body("PUBLIC")), alice, bob);
    for (int i = 0; i < 300; i++) {
      byte[] payload = good.payload();
      List<dev.quartet.contracts.trust.DsseSignature> sigs = new java.util.ArrayList<>(good.signatures());
      String where;
      // Only the payload and the signatures are signed material; the JSON around them (field
      // spellings, base64 padding bits) is not, as DSSE defines.
      if (seeded.nextBoolean()) {
        int at = seeded.nextInt(payload.length);
        payload[at] = (byte) (payload[at] ^ (1 << seeded.nextInt(8)));
        where = "payload byte " + at;
      } else {
        int which = seeded.nextInt(sigs.size());
        byte[] sig = sigs.get(which).sig();
        int at = seeded.nextInt(sig.length);
        sig[at] = (byte) (sig[at] ^ (1 << seeded.nextInt(8)));
        sigs.set(which, new dev.quartet.contracts.trust.DsseSignature(sigs.get(which).keyid(), sig));
        where = "signature " + which + " byte " + at;
      }
      SnapshotCheck c = check(ConfigChain.start(SCOPE), new DsseEnvelope(good.payloadType(), payload, sigs));
      assertFalse(c instanceof SnapshotCheck.Linked, "flipping a bit in " + where + " still linked");
    }
  }

  private SnapshotCheck check(ConfigChain chain, DsseEnvelope envelope) {
    return SnapshotVerifier.check(chain, trust, envelope.toJson(), 0, NOW);
  }

  private static ConfigSnapshot linked(SnapshotCheck c) {
    return assertInstanceOf(SnapshotCheck.Linked.class, c, "expected a link, was " + c).snapshot();
  }

  private static void assertRefused(SnapshotCheck.Reason reason, SnapshotCheck c, String what) {
    var refused = assertInstanceOf(SnapshotCheck.Refused.class, c, what + ": expected refusal " + reason + ", was " + c);
    assertEquals(reason, refused.reason(), what + ": " + refused.detail());
  }

  private TrustRoot root(Instant expires) {
    Map<String, Integer> thresholds = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 2));
    return new TrustRoot(1, expires, Set.of(alice.publicKey(), bob.publicKey()), 1, thresholds, Set.of(), Set.of());
  }

  static Map<String, Object> body(String classification) {
    Map<String, Object> body = new HashMap<>();
    body.put("degradedMode", Map.of("policy", "read-only"));
    body.put("policies", Map.of("egress", Map.of("allow", List.of("127.0.0.1:18080"))));
    body.put("routes", List.of(Map.of("name", "default", "classifications", List.of(classification), "maxInputBytes", "1MiB")));
    return body;
  }

  static Map<String, Object> doc(long version, String parent, String expiresAt, Map<String, Object> body) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("scope", SCOPE.toString());
    doc.put("version", version);
    doc.put("parent", parent);
    doc.put("expiresAt", expiresAt);
    doc.put("body", body);
    return doc;
  }

  static DsseEnvelope signed(Map<String, Object> doc, AdminKeyPair... keys) {
    return signed(DsseEnvelope.unsigned(ConfigSnapshot.PAYLOAD_TYPE, CanonicalJson.serialize(doc)), keys);
  }

  static DsseEnvelope signed(DsseEnvelope env, AdminKeyPair... keys) {
    for (AdminKeyPair k : keys) {
      env = Dsse.sign(env, k);
    }
    return env;
  }

  private static String digest(DsseEnvelope e) {
    return ConfigSnapshot.digestOf(e.payload());
  }
}

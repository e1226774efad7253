package dev.quartet.contracts.trust;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustRootTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
  static final Instant NOW = CLOCK.instant();
  static final Instant NEXT_YEAR = NOW.plus(Duration.ofDays(365));
  static final List<AdminKeyPair> K = DsseTest.keys(6);

  static Set<Ed25519PublicKey> pubs(int... idx) {
    Set<Ed25519PublicKey> s = new java.util.HashSet<>();
    for (int i : idx) {
      s.add(K.get(i).publicKey());
    }
    return s;
  }

  static Map<String, Integer> privileged(int n) {
    Map<String, Integer> m = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> m.put(s, n));
    return m;
  }

  static TrustRoot root(int version, Set<Ed25519PublicKey> admins, int trustThreshold) {
    return new TrustRoot(version, NEXT_YEAR, admins, 1, privileged(trustThreshold), Set.of(), Set.of());
  }

  @Test
  void newRootsGetTwoForPrivilegedScopesCappedByAdminsAndOneElsewhere() {
    assertEquals(1, TrustRoot.defaultPrivilegedThreshold(1));
    assertEquals(2, TrustRoot.defaultPrivilegedThreshold(3));
    TrustRoot root = TrustRoot.create(pubs(0, 1, 2), TrustRoot.defaultPrivilegedThreshold(3), NEXT_YEAR);
    assertEquals(1, root.version());
    for (String scope : List.of("trust", "policy", "egress")) {
      assertEquals(2, root.threshold(scope), scope);
    }
    assertEquals(1, root.threshold("default/dev"));
    assertTrue(root.leaseKeys().isEmpty() && root.checkpointKeys().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> TrustRoot.create(pubs(0, 1), 3, NEXT_YEAR), "more than the admins");
    assertThrows(IllegalArgumentException.class, () -> TrustRoot.create(pubs(0), 0, NEXT_YEAR));
  }

  @Test
  void constructorRefusesRootsThatCouldNotWork() {
    assertThrows(IllegalArgumentException.class, () -> root(0, pubs(0), 1), "version 0");
    assertThrows(IllegalArgumentException.class, () -> root(1, Set.of(), 1), "no admins");
    assertThrows(IllegalArgumentException.class, () -> new TrustRoot(1, NEXT_YEAR, pubs(0), 2, privileged(1), Set.of(), Set.of()));
    assertThrows(IllegalArgumentException.class, () -> new TrustRoot(1, NEXT_YEAR, pubs(0), 1, Map.of("trust", 1), Set.of(), Set.of()),
        "privileged scopes must be explicit");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TrustRoot(1, NEXT_YEAR, pubs(0, 1), 1, privileged(1), pubs(1), Set.of()));
    assertTrue(e.getMessage().contains("online"), e.getMessage());
    assertThrows(NullPointerException.class, () -> new TrustRoot(1, null, pubs(0), 1, privileged(1), Set.of(), Set.of()));
  }

  @Test
  void serializesAsCanonicalJsonAndParsesBackEqual() {
    TrustRoot root = new TrustRoot(3, Instant.parse("2027-01-01T00:00:00Z"), pubs(0), 1, privileged(1), pubs(1), pubs(2));
    String json = new String(root.toCanonicalJson(), StandardCharsets.UTF_8);
    String b64 = K.get(0).publicKey().base64();
    assertEquals("{\"adminKeys\":{\"" + K.get(0).keyId() + "\":\"" + b64 + "\"},\"checkpointKeys\":{\"" + K.get(2).keyId() + "\":\""
        + K.get(2).publicKey().base64() + "\"},\"defaultThreshold\":1,\"expires\":\"2027-01-01T00:00:00Z\",\"leaseKeys\":{\""
        + K.get(1).keyId() + "\":\"" + K.get(1).publicKey().base64() + "\"},\"thresholds\":{\"egress\":1,\"policy\":1,\"trust\":1},\"version\":3}", json);
    assertArrayEquals(root.toCanonicalJson(), CanonicalJson.canonicalize(root.toCanonicalJson()), "already canonical");
    assertEquals(root, TrustRoot.fromJson(root.toCanonicalJson()));
  }

  @Test
  void parsingIsStrict() {
    String good = new String(root(1, pubs(0), 1).toCanonicalJson(), StandardCharsets.UTF_8);
    String otherId = K.get(1).keyId().hex();
    Map<String, String> bad = Map.of(
        "unknown field", good.replace("\"version\":1}", "\"version\":1,\"extra\":true}"),
        "missing field", good.replace(",\"version\":1}", "}"),
        "is not the SHA-256 of its key", good.replace(K.get(0).keyId().hex(), otherId),
        "must be an integer", good.replace("\"version\":1}", "\"version\":1.5}"),
        "ISO-8601", good.replaceFirst("\"expires\":\"[^\"]+\"", "\"expires\":\"tomorrow\""),
        "not a valid Ed25519 public key", good.replace(K.get(0).publicKey().base64(), "AAAA"));
    bad.forEach((why, json) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TrustRoot.fromJson(json.getBytes(StandardCharsets.UTF_8)), why);
      assertTrue(e.getMessage().contains(why), why + " -> " + e.getMessage());
    });
  }

  @Test
  void oneAdminRootSignedByItselfVerifies() {
    TrustRoot root = TrustRoot.create(pubs(0), TrustRoot.defaultPrivilegedThreshold(1), NEXT_YEAR);
    DsseEnvelope env = root.signedBy(List.of(K.get(0)));
    assertEquals(new Verification.Verified(Set.of(K.get(0).keyId())), TrustRoot.verifySelfSigned(env, NOW));
    assertEquals(root, TrustRoot.decode(DsseEnvelope.fromJson(env.toJson())));
  }

  @Test
  void selfSignedRootNeedsItsTrustThreshold() {
    TrustRoot root = TrustRoot.create(pubs(0, 1, 2), 2, NEXT_YEAR);
    assertEquals("threshold", ((Verification.Failed) TrustRoot.verifySelfSigned(root.signedBy(List.of(K.get(0))), NOW)).step());
    assertEquals("threshold", ((Verification.Failed) TrustRoot.verifySelfSigned(root.signedBy(List.of(K.get(0), K.get(4))), NOW)).step(),
        "a non-admin signature does not count");
    assertTrue(TrustRoot.verifySelfSigned(root.signedBy(List.of(K.get(0), K.get(2))), NOW).isVerified());
  }

  @Test
  void expiryIsCheckedAgainstTheGivenInstantAndIsExclusive() {
    TrustRoot root = new TrustRoot(1, NOW.plusSeconds(60), pubs(0), 1, privileged(1), Set.of(), Set.of());
    DsseEnvelope env = root.signedBy(List.of(K.get(0)));
    Clock later = Clock.offset(CLOCK, Duration.ofSeconds(60));
    assertTrue(TrustRoot.verifySelfSigned(env, CLOCK.instant()).isVerified());
    assertTrue(TrustRoot.verifySelfSigned(env, later.instant().minusNanos(1)).isVerified());
    Verification.Failed f = (Verification.Failed) TrustRoot.verifySelfSigned(env, later.instant());
    assertEquals("expires", f.step());
    assertTrue(f.reason().contains(root.expires().toString()), f.reason());
  }

  @Test
  void tamperedOrMislabeledRootFails() {
    DsseEnvelope env = root(1, pubs(0), 1).signedBy(List.of(K.get(0)));
    byte[] payload = env.payload();
    payload[payload.length - 2] = '2'; // "version":1 -> 2
    assertEquals("threshold", ((Verification.Failed) TrustRoot.verifySelfSigned(new DsseEnvelope(env.payloadType(), payload, env.signatures()), NOW)).step());
    DsseEnvelope relabeled = new DsseEnvelope("application/vnd.quartet.config+json", env.payload(), env.signatures());
    assertEquals("payloadType", ((Verification.Failed) TrustRoot.verifySelfSigned(relabeled, NOW)).step());
    assertEquals("payload", ((Verification.Failed) TrustRoot.verifySelfSigned(
        Dsse.sign(TrustRoot.PAYLOAD_TYPE, "{}".getBytes(StandardCharsets.UTF_8), K.get(0)), NOW)).step());
  }

  @Test
  void rotationNeedsThresholdOfCurrentAndOfNextKeys() {
    TrustRoot current = root(1, pubs(0, 1, 2), 2);
    TrustRoot next = root(2, pubs(2, 3, 4), 2);
    DsseEnvelope both = next.signedBy(List.of(K.get(0), K.get(1), K.get(3), K.get(4)));
    Verification ok = TrustRoot.verifyRotation(current, both, NOW);
    assertEquals(new Verification.Verified(Set.of(K.get(0).keyId(), K.get(1).keyId(), K.get(3).keyId(), K.get(4).keyId())), ok);
    // Key 2 is in both sets: its one signature counts toward each threshold.
    assertTrue(TrustRoot.verifyRotation(current, next.signedBy(List.of(K.get(0), K.get(2), K.get(3))), NOW).isVerified());

    Verification.Failed onlyNew = (Verification.Failed) TrustRoot.verifyRotation(current, next.signedBy(List.of(K.get(3), K.get(4))), NOW);
    assertEquals("current.threshold", onlyNew.step(), "new keys alone cannot take over");
    Verification.Failed onlyOld = (Verification.Failed) TrustRoot.verifyRotation(current, next.signedBy(List.of(K.get(0), K.get(1))), NOW);
    assertEquals("next.threshold", onlyOld.step(), "new admins must prove they hold their keys");
  }

  @Test
  void rotationNeedsExactlyTheNextVersion() {
    TrustRoot current = root(4, pubs(0), 1);
    for (int version : new int[] {4, 3, 6, 1}) {
      DsseEnvelope env = root(version, pubs(0), 1).signedBy(List.of(K.get(0)));
      Verification.Failed f = (Verification.Failed) TrustRoot.verifyRotation(current, env, NOW);
      assertEquals("version", f.step(), "version " + version);
      assertTrue(f.reason().contains("expected version 5"), f.reason());
    }
    assertTrue(TrustRoot.verifyRotation(current, root(5, pubs(0), 1).signedBy(List.of(K.get(0))), NOW).isVerified());
  }

  @Test
  void rotationRefusesAnExpiredNextRootButMayReplaceAnExpiredCurrentOne() {
    TrustRoot expiredCurrent = new TrustRoot(1, NOW.minusSeconds(1), pubs(0), 1, privileged(1), Set.of(), Set.of());
    assertTrue(TrustRoot.verifyRotation(expiredCurrent, root(2, pubs(1), 1).signedBy(List.of(K.get(0), K.get(1))), NOW).isVerified());
    TrustRoot staleNext = new TrustRoot(2, NOW, pubs(1), 1, privileged(1), Set.of(), Set.of());
    Verification.Failed f = (Verification.Failed) TrustRoot.verifyRotation(expiredCurrent, staleNext.signedBy(List.of(K.get(0), K.get(1))), NOW);
    assertEquals("expires", f.step());
  }
}

package dev.quartet.execution.domain;

import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.DsseSignature;
import dev.quartet.execution.domain.WorkerConfigEvent.SnapshotApplied;
import dev.quartet.execution.domain.WorkerConfigEvent.SnapshotIgnored;
import dev.quartet.execution.domain.WorkerConfigEvent.SnapshotLinked;
import dev.quartet.execution.domain.WorkerConfigEvent.SnapshotRefused;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.quartet.execution.domain.WorkerConfigDriver.EGRESS;
import static dev.quartet.execution.domain.WorkerConfigDriver.FAR;
import static dev.quartet.execution.domain.WorkerConfigDriver.NOW;
import static dev.quartet.execution.domain.WorkerConfigDriver.SKEW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which snapshots a worker links, applies, ignores or refuses: chain rules and the attacks on them. */
class SnapshotChainTest {
  private final WorkerConfigDriver w = new WorkerConfigDriver();

  private static SnapshotRefused refusal(List<WorkerConfigEvent> events, RefusalReason expected) {
    assertEquals(1, events.size(), "one refusal expected, was " + events);
    SnapshotRefused r = assertInstanceOf(SnapshotRefused.class, events.get(0), "expected a refusal, was " + events);
    assertEquals(expected, r.reason(), "refused for " + r.detail());
    return r;
  }

  private static SnapshotLinked linked(List<WorkerConfigEvent> events) {
    assertEquals(1, events.size(), "one event expected, was " + events);
    return assertInstanceOf(SnapshotLinked.class, events.get(0), "expected a link, was " + events);
  }

  private static List<SnapshotApplied> applied(List<WorkerConfigEvent> events) {
    List<SnapshotApplied> out = new ArrayList<>();
    events.stream().filter(SnapshotApplied.class::isInstance).forEach(e -> out.add((SnapshotApplied) e));
    return out;
  }

  private Map<String, Object> bodyWithQuota(int concurrentTasks) {
    Map<String, Object> body = ConfigFixtures.body(EGRESS);
    body.put("policies", Map.of("egress", Map.of("allow", List.of(EGRESS)), "quotas", Map.of("concurrentTasks", concurrentTasks)));
    return body;
  }

  @Test
  void aWorkerWithoutConfigAdmitsNothing() {
    assertEquals(WorkerStatus.NO_CONFIG, w.state.status(NOW));
    assertFalse(w.state.admitting(NOW));
    assertEquals(List.of(), w.tick(NOW), "nothing to apply, nothing to record");
  }

  @Test
  void aVerifiedFirstVersionIsLinkedThenAppliedOnTheNextTick() {
    DsseEnvelope v1 = w.version(1, "");
    linked(w.snapshot(v1, NOW));
    assertNull(w.state.applied(), "links are applied on a tick, not on arrival");
    List<SnapshotApplied> acks = applied(w.tick(NOW));
    assertEquals(1, acks.size());
    assertEquals(1, acks.get(0).snapshot().version());
    assertEquals(ConfigFixtures.digest(v1), acks.get(0).snapshot().digest());
    assertEquals(NOW, acks.get(0).at());
    assertEquals(List.of(), w.state.pending());
  }

  @Test
  void aFirstVersionSettingPoliciesNeedsThePolicyAndEgressThresholds() {
    refusal(w.snapshot(w.version(1, "", FAR, ConfigFixtures.body(EGRESS), w.alice, w.bob), NOW), RefusalReason.UNDER_SIGNED);
    linked(w.snapshot(w.version(1, "", FAR, ConfigFixtures.body(EGRESS), w.alice, w.bob, w.carol), NOW));
  }

  @Test
  void aChangeOutsidePoliciesNeedsOnlyTheScopeThreshold() {
    DsseEnvelope v1 = w.applyVersions(1, NOW);
    Map<String, Object> body = ConfigFixtures.body(EGRESS);
    body.put("lease", Map.of("duration", "30s"));
    linked(w.snapshot(w.version(2, ConfigFixtures.digest(v1), FAR, body, w.carol), NOW));
  }

  @Test
  void aPolicyChangeNeedsThePolicyThreshold() {
    DsseEnvelope v1 = w.applyVersions(1, NOW);
    String parent = ConfigFixtures.digest(v1);
    SnapshotRefused r = refusal(w.snapshot(w.version(2, parent, FAR, bodyWithQuota(8), w.carol), NOW), RefusalReason.UNDER_SIGNED);
    assertTrue(r.detail().contains("threshold 2"), r.detail());
    linked(w.snapshot(w.version(2, parent, FAR, bodyWithQuota(8), w.carol, w.alice), NOW));
  }

  @Test
  void anEgressChangeNeedsTheEgressThreshold() {
    DsseEnvelope v1 = w.applyVersions(1, NOW);
    String parent = ConfigFixtures.digest(v1);
    Map<String, Object> body = ConfigFixtures.body("10.0.0.1:443");
    refusal(w.snapshot(w.version(2, parent, FAR, body, w.alice, w.bob), NOW), RefusalReason.UNDER_SIGNED);
    linked(w.snapshot(w.version(2, parent, FAR, body, w.alice, w.bob, w.carol), NOW));
  }

  @Test
  void eachLinkIsJudgedAgainstItsParentNotTheAppliedVersion() {
    DsseEnvelope v1 = w.applyVersions(1, NOW);
    DsseEnvelope v2 = w.version(2, ConfigFixtures.digest(v1), FAR, bodyWithQuota(8), w.alice, w.bob);
    linked(w.snapshot(v2, NOW));
    Map<String, Object> body = bodyWithQuota(8);
    body.put("lease", Map.of("duration", "30s"));
    linked(w.snapshot(w.version(3, ConfigFixtures.digest(v2), FAR, body, w.carol), NOW));
    assertEquals(3, applied(w.tick(NOW)).get(0).snapshot().version());
  }

  @Test
  void signaturesByUnknownKeysDoNotCount() {
    refusal(w.snapshot(w.version(1, "", FAR, ConfigFixtures.body(EGRESS), w.mallory), NOW), RefusalReason.UNDER_SIGNED);
  }

  @Test
  void aTamperedPayloadFailsItsSignatures() {
    DsseEnvelope good = w.version(1, "");
    String json = new String(good.payload(), StandardCharsets.UTF_8).replace(EGRESS, "10.6.6.6:443");
    DsseEnvelope forged = new DsseEnvelope(good.payloadType(), json.getBytes(StandardCharsets.UTF_8), good.signatures());
    refusal(w.snapshot(forged, NOW), RefusalReason.UNDER_SIGNED);
  }

  @Test
  void aDuplicatedSignatureCountsOnce() {
    DsseEnvelope byAlice = w.version(1, "", FAR, ConfigFixtures.body(EGRESS), w.alice);
    DsseSignature sig = byAlice.signatures().get(0);
    DsseEnvelope twice = new DsseEnvelope(byAlice.payloadType(), byAlice.payload(), List.of(sig, new DsseSignature("", sig.sig()),
        new DsseSignature("", sig.sig())));
    refusal(w.snapshot(twice, NOW), RefusalReason.UNDER_SIGNED);
  }

  @Test
  void rollbackToADifferentOlderVersionIsRefused() {
    w.applyVersions(2, NOW);
    DsseEnvelope otherV1 = w.version(1, "", FAR, ConfigFixtures.body("10.0.0.9:443"), w.alice, w.bob, w.carol);
    refusal(w.snapshot(otherV1, NOW), RefusalReason.ROLLBACK);
    assertEquals(2, w.state.applied().version());
  }

  @Test
  void aSecondSnapshotForTheAppliedVersionIsRefused() {
    DsseEnvelope v1 = w.applyVersions(1, NOW);
    Map<String, Object> body = ConfigFixtures.body(EGRESS);
    body.put("lease", Map.of("duration", "45s"));
    refusal(w.snapshot(w.version(1, "", FAR, body, w.alice, w.bob, w.carol), NOW), RefusalReason.ROLLBACK);
    assertEquals(ConfigFixtures.digest(v1), w.state.applied().digest());
  }

  @Test
  void anExactReplayIsIgnoredWithoutANack() {
    DsseEnvelope v1 = w.version(1, "");
    w.snapshot(v1, NOW);
    w.snapshot(w.version(2, ConfigFixtures.digest(v1)), NOW);
    w.tick(NOW);
    List<WorkerConfigEvent> replay = w.snapshot(v1, NOW);
    assertInstanceOf(SnapshotIgnored.class, replay.get(0), "a redelivered v1 is not news: " + replay);
    assertEquals(2, w.state.applied().version());
    assertEquals(List.of(), applied(w.tick(NOW)));
  }

  @Test
  void aReplayOlderThanTheRememberedVersionsIsARollback() {
    var small = new WorkerConfigDriver(new ConfigBounds(8, 2), Instant.parse(FAR));
    DsseEnvelope v1 = small.version(1, "");
    small.applyVersions(3, NOW);
    refusal(small.snapshot(v1, NOW), RefusalReason.ROLLBACK);
  }

  @Test
  void anExpiredNewestVersionIsRefusedOnceAndNotApplied() {
    DsseEnvelope v1 = w.applyVersions(1, NOW);
    linked(w.snapshot(w.version(2, ConfigFixtures.digest(v1), NOW.toString(), ConfigFixtures.body(EGRESS), w.alice), NOW));
    List<WorkerConfigEvent> tick = w.tick(NOW);
    SnapshotRefused r = assertInstanceOf(SnapshotRefused.class, tick.get(0), "freeze: expiry is exclusive " + tick);
    assertEquals(RefusalReason.EXPIRED, r.reason());
    assertEquals(2, r.version());
    assertEquals(1, w.state.applied().version());
    assertTrue(w.tick(NOW.plusSeconds(1)).stream().noneMatch(SnapshotRefused.class::isInstance), "refused once");
  }

  @Test
  void aVersionValidUntilOneMillisecondAfterNowIsApplied() {
    DsseEnvelope v1 = w.applyVersions(1, NOW);
    Instant expires = NOW.plusMillis(1);
    w.snapshot(w.version(2, ConfigFixtures.digest(v1), expires.toString(), ConfigFixtures.body(EGRESS), w.alice), NOW);
    assertEquals(2, applied(w.tick(NOW)).get(0).snapshot().version());
  }

  @Test
  void theNewestVersionThatHasNotExpiredIsApplied() {
    DsseEnvelope v1 = w.version(1, "");
    w.snapshot(v1, NOW);
    w.snapshot(w.version(2, ConfigFixtures.digest(v1), "2026-01-01T00:00:00Z", ConfigFixtures.body(EGRESS), w.alice), NOW);
    List<WorkerConfigEvent> tick = w.tick(NOW);
    assertEquals(RefusalReason.EXPIRED, assertInstanceOf(SnapshotRefused.class, tick.get(0)).reason());
    assertEquals(1, applied(tick).get(0).snapshot().version());
  }

  @Test
  void anExpiredVersionStillLinksItsSuccessor() {
    DsseEnvelope v1 = w.applyVersions(1, NOW);
    DsseEnvelope v2 = w.version(2, ConfigFixtures.digest(v1), "2026-01-01T00:00:00Z", ConfigFixtures.body(EGRESS), w.alice);
    w.snapshot(v2, NOW);
    linked(w.snapshot(w.version(3, ConfigFixtures.digest(v2), FAR, ConfigFixtures.body(EGRESS), w.alice), NOW));
    List<WorkerConfigEvent> tick = w.tick(NOW);
    assertEquals(List.of(3L), applied(tick).stream().map(a -> a.snapshot().version()).toList());
    assertTrue(tick.stream().noneMatch(SnapshotRefused.class::isInstance), "a superseded version is not refused: " + tick);
  }

  @Test
  void aCatchUpOverManyVersionsAcknowledgesOnlyTheNewest() {
    String parent = "";
    for (int v = 1; v <= 5; v++) {
      DsseEnvelope e = w.version(v, parent);
      linked(w.snapshot(e, NOW));
      parent = ConfigFixtures.digest(e);
    }
    List<SnapshotApplied> acks = applied(w.tick(NOW));
    assertEquals(1, acks.size());
    assertEquals(5, acks.get(0).snapshot().version());
  }

  @Test
  void pendingVersionsAreBoundedOldestFirst() {
    var small = new WorkerConfigDriver(new ConfigBounds(2, 16), Instant.parse(FAR));
    String parent = "";
    for (int v = 1; v <= 4; v++) {
      DsseEnvelope e = small.version(v, parent);
      small.snapshot(e, NOW);
      parent = ConfigFixtures.digest(e);
    }
    assertEquals(List.of(3L, 4L), small.state.pending().stream().map(ConfigSnapshot::version).toList());
    assertEquals(4, small.tick(NOW).stream().filter(SnapshotApplied.class::isInstance)
        .map(e -> ((SnapshotApplied) e).snapshot().version()).findFirst().orElseThrow());
  }

  @Test
  void aSnapshotSignedForAnotherScopeIsRefused() {
    DsseEnvelope prod = ConfigFixtures.signed(ConfigFixtures.doc("default/prod", 1, "", FAR, ConfigFixtures.body(EGRESS)),
        w.alice, w.bob, w.carol);
    SnapshotRefused r = refusal(w.snapshot(prod, NOW), RefusalReason.WRONG_SCOPE);
    assertTrue(r.detail().contains("default/prod"), r.detail());
  }

  @Test
  void aVersionThatSkipsUnseenVersionsIsRefused() {
    DsseEnvelope v1 = w.applyVersions(1, NOW);
    refusal(w.snapshot(w.version(3, ConfigFixtures.digest(v1)), NOW), RefusalReason.GAP);
    var fresh = new WorkerConfigDriver();
    refusal(fresh.snapshot(fresh.version(2, ConfigFixtures.digest(v1)), NOW), RefusalReason.GAP);
  }

  @Test
  void aParentThatIsNotThePreviousDigestIsRefused() {
    w.applyVersions(1, NOW);
    refusal(w.snapshot(w.version(2, "ab".repeat(32)), NOW), RefusalReason.BROKEN_CHAIN);
  }

  @Test
  void malformedSnapshotsAreRefusedNamingWhatIsWrong() {
    DsseEnvelope v1 = w.version(1, "");
    DsseEnvelope wrongType = new DsseEnvelope("application/vnd.quartet.trust+json", v1.payload(), v1.signatures());
    refusal(w.snapshot(wrongType, NOW), RefusalReason.MALFORMED);
    byte[] pretty = ("{\"scope\": \"default/dev\"}").getBytes(StandardCharsets.UTF_8);
    DsseEnvelope notCanonical = new DsseEnvelope(ConfigSnapshot.PAYLOAD_TYPE, pretty, v1.signatures());
    assertTrue(refusal(w.snapshot(notCanonical, NOW), RefusalReason.MALFORMED).detail().contains("canonical"));
    SnapshotRefused garbage = refusal(w.snapshot("not json".getBytes(StandardCharsets.UTF_8), 7, NOW), RefusalReason.MALFORMED);
    assertEquals(7, garbage.version(), "an unreadable document is reported under the version its record claims");
    Map<String, Object> noMode = ConfigFixtures.body(EGRESS);
    noMode.remove("degradedMode");
    assertTrue(refusal(w.snapshot(w.version(1, "", FAR, noMode, w.alice, w.bob, w.carol), NOW), RefusalReason.MALFORMED)
        .detail().startsWith("body.degradedMode"));
  }

  @Test
  void anOversizedEnvelopeIsRefusedUnread() {
    byte[] big = new byte[64 * 1024 + 1];
    refusal(w.snapshot(big, 1, NOW), RefusalReason.MALFORMED);
  }

  @Test
  void issuedAtMayLeadTheClockByAtMostTheSkew() {
    Map<String, Object> doc = ConfigFixtures.doc(WorkerConfigDriver.SCOPE, 1, "", FAR, ConfigFixtures.body(EGRESS));
    doc.put("issuedAt", NOW.plus(SKEW).plusMillis(1).toString());
    refusal(w.snapshot(ConfigFixtures.signed(doc, w.alice, w.bob, w.carol), NOW), RefusalReason.NOT_YET_VALID);
    doc.put("issuedAt", NOW.plus(SKEW).toString());
    linked(w.snapshot(ConfigFixtures.signed(doc, w.alice, w.bob, w.carol), NOW));
  }

  @Test
  void nothingVerifiesAgainstAnExpiredTrustRoot() {
    var expired = new WorkerConfigDriver(new ConfigBounds(8, 16), NOW);
    refusal(expired.snapshot(expired.version(1, ""), NOW), RefusalReason.TRUST_EXPIRED);
    assertEquals(List.of(), expired.snapshot(expired.version(1, ""), NOW.minus(Duration.ofMillis(1))).stream()
        .filter(SnapshotRefused.class::isInstance).toList());
  }
}

package dev.quartet.execution.domain;

import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.LeaseToken;
import dev.quartet.execution.domain.WorkerConfigEvent.AppliedConfigExpired;
import dev.quartet.execution.domain.WorkerConfigEvent.DegradedModeEntered;
import dev.quartet.execution.domain.WorkerConfigEvent.GraceExhausted;
import dev.quartet.execution.domain.WorkerConfigEvent.LeaseExtended;
import dev.quartet.execution.domain.WorkerConfigEvent.LeaseRecovered;
import dev.quartet.execution.domain.WorkerConfigEvent.LeaseTokenHeld;
import dev.quartet.execution.domain.WorkerConfigEvent.LeaseTokenRefused;
import dev.quartet.execution.domain.WorkerConfigEvent.SnapshotApplied;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.quartet.execution.domain.WorkerConfigDriver.EGRESS;
import static dev.quartet.execution.domain.WorkerConfigDriver.FAR;
import static dev.quartet.execution.domain.WorkerConfigDriver.NOW;
import static dev.quartet.execution.domain.WorkerConfigDriver.SCOPE;
import static dev.quartet.execution.domain.WorkerConfigDriver.SKEW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounded config lease: tokens, degraded-mode policies, recovery, and their timing edges. */
class WorkerLeaseTest {
  private static final Duration LIFETIME = Duration.ofSeconds(60);
  private final WorkerConfigDriver w = new WorkerConfigDriver();

  /** Applies v1 with {@code policy} and leases it until NOW + LIFETIME. */
  private DsseEnvelope leasedV1(String policy, String grace) {
    DsseEnvelope v1 = w.version(1, "", FAR, ConfigFixtures.body(EGRESS, policy, grace), w.alice, w.bob, w.carol);
    w.snapshot(v1, NOW);
    w.tick(NOW);
    List<WorkerConfigEvent> events = w.token(w.leaseToken(1, ConfigFixtures.digest(v1), NOW, LIFETIME), NOW);
    assertInstanceOf(LeaseExtended.class, events.get(0), "a valid token for the applied head leases it: " + events);
    return v1;
  }

  private static LeaseTokenRefused refusal(List<WorkerConfigEvent> events, LeaseRefusal expected) {
    assertEquals(1, events.size(), "one refusal expected, was " + events);
    LeaseTokenRefused r = assertInstanceOf(LeaseTokenRefused.class, events.get(0));
    assertEquals(expected, r.reason(), r.detail());
    return r;
  }

  @Test
  void aTokenNamingTheAppliedHeadLeasesItUntilTheTokenExpires() {
    leasedV1("stop-admission", null);
    assertEquals(WorkerStatus.LEASED, w.state.status(NOW));
    assertTrue(w.state.admitting(NOW));
    assertEquals(NOW.plus(LIFETIME), w.state.leaseExpiresAt());
    Instant last = NOW.plus(LIFETIME).minusMillis(1);
    assertEquals(WorkerStatus.LEASED, w.state.status(last), "still leased one millisecond before expiry");
    assertEquals(WorkerStatus.DEGRADED, w.state.status(NOW.plus(LIFETIME)), "token expiry is exclusive");
  }

  @Test
  void aLeaseNeverShrinks() {
    DsseEnvelope v1 = leasedV1("stop-admission", null);
    w.token(w.leaseToken(1, ConfigFixtures.digest(v1), NOW, Duration.ofSeconds(5)), NOW.plusSeconds(1));
    assertEquals(NOW.plus(LIFETIME), w.state.leaseExpiresAt());
  }

  @Test
  void aTokenSignedByAnAdminInsteadOfTheLeaseKeyIsForged() {
    DsseEnvelope v1 = leasedV1("stop-admission", null);
    LeaseToken byAdmin = LeaseToken.sign(SCOPE, 1, ConfigFixtures.digest(v1), NOW, NOW.plus(Duration.ofHours(1)), w.alice);
    refusal(w.token(byAdmin, NOW), LeaseRefusal.UNTRUSTED);
    assertEquals(NOW.plus(LIFETIME), w.state.leaseExpiresAt(), "a forged token extends nothing");
  }

  @Test
  void aTokenWhoseFieldsWereAlteredAfterSigningIsForged() {
    DsseEnvelope v1 = leasedV1("stop-admission", null);
    LeaseToken real = w.leaseToken(1, ConfigFixtures.digest(v1), NOW, LIFETIME);
    LeaseToken stretched = new LeaseToken(real.scope(), 1, real.headDigest(), real.issuedAt(), NOW.plus(Duration.ofDays(365)),
        real.keyId(), real.signature());
    refusal(w.token(stretched, NOW), LeaseRefusal.UNTRUSTED);
    byte[] sig = real.signature();
    sig[0] ^= 1;
    refusal(w.token(new LeaseToken(real.scope(), 1, real.headDigest(), real.issuedAt(), real.expiresAt(), real.keyId(), sig), NOW),
        LeaseRefusal.UNTRUSTED);
  }

  @Test
  void anExpiredTokenExtendsNothing() {
    DsseEnvelope v1 = leasedV1("stop-admission", null);
    Instant later = NOW.plus(LIFETIME);
    refusal(w.token(w.leaseToken(1, ConfigFixtures.digest(v1), NOW, LIFETIME), later), LeaseRefusal.EXPIRED);
    assertEquals(WorkerStatus.DEGRADED, w.state.status(later));
  }

  @Test
  void aTokenMayBeIssuedAtMostTheSkewAhead() {
    DsseEnvelope v1 = leasedV1("stop-admission", null);
    Instant ahead = NOW.plus(SKEW).plusMillis(1);
    refusal(w.token(w.leaseToken(1, ConfigFixtures.digest(v1), ahead, LIFETIME), NOW), LeaseRefusal.NOT_YET_VALID);
    assertInstanceOf(LeaseExtended.class, w.token(w.leaseToken(1, ConfigFixtures.digest(v1), NOW.plus(SKEW), LIFETIME), NOW).get(0));
  }

  @Test
  void aTokenForAnotherScopeIsRefused() {
    DsseEnvelope v1 = leasedV1("stop-admission", null);
    LeaseToken prod = LeaseToken.sign("default/prod", 1, ConfigFixtures.digest(v1), NOW, NOW.plus(LIFETIME), w.leaseKey);
    refusal(w.token(prod, NOW), LeaseRefusal.WRONG_SCOPE);
  }

  @Test
  void aTokenNamingAnotherDigestForTheAppliedVersionIsAConflict() {
    leasedV1("stop-admission", null);
    refusal(w.token(w.leaseToken(1, "cd".repeat(32), NOW, LIFETIME), NOW), LeaseRefusal.CONFLICTING_HEAD);
  }

  @Test
  void aTokenForAnOlderVersionIsStale() {
    DsseEnvelope v1 = w.version(1, "");
    w.snapshot(v1, NOW);
    w.snapshot(w.version(2, ConfigFixtures.digest(v1)), NOW);
    w.tick(NOW);
    refusal(w.token(w.leaseToken(1, ConfigFixtures.digest(v1), NOW, LIFETIME), NOW), LeaseRefusal.STALE);
  }

  @Test
  void aTokenThatArrivesBeforeItsVersionLeasesItWhenApplied() {
    DsseEnvelope v1 = w.version(1, "");
    assertInstanceOf(LeaseTokenHeld.class, w.token(w.leaseToken(1, ConfigFixtures.digest(v1), NOW, LIFETIME), NOW).get(0));
    w.snapshot(v1, NOW);
    List<WorkerConfigEvent> tick = w.tick(NOW);
    assertEquals(1, tick.size(), "applied and leased at once, never degraded: " + tick);
    assertInstanceOf(SnapshotApplied.class, tick.get(0));
    assertEquals(WorkerStatus.LEASED, w.state.status(NOW));
  }

  @Test
  void aHeldTokenWithAnotherDigestLeasesNothing() {
    DsseEnvelope v1 = w.version(1, "");
    w.token(w.leaseToken(1, "cd".repeat(32), NOW, LIFETIME), NOW);
    w.snapshot(v1, NOW);
    w.tick(NOW);
    assertEquals(WorkerStatus.DEGRADED, w.state.status(NOW));
  }

  @Test
  void theLeaseCarriesOverToTheVerifiedSuccessor() {
    DsseEnvelope v1 = leasedV1("stop-admission", null);
    w.snapshot(w.version(2, ConfigFixtures.digest(v1)), NOW.plusSeconds(1));
    List<WorkerConfigEvent> tick = w.tick(NOW.plusSeconds(1));
    assertEquals(1, tick.size(), "a publish does not flap the lease: " + tick);
    assertEquals(WorkerStatus.LEASED, w.state.status(NOW.plusSeconds(1)));
  }

  @Test
  void aLapsedLeaseEntersContinueCachedOnceAndAdmitsUntilTheGraceEnds() {
    leasedV1("continue-cached", "10m");
    Instant lapse = NOW.plus(LIFETIME);
    assertEquals(List.of(), w.tick(lapse.minusMillis(1)));
    List<WorkerConfigEvent> degraded = w.tick(lapse);
    DegradedModeEntered d = assertInstanceOf(DegradedModeEntered.class, degraded.get(0), degraded.toString());
    assertEquals(DegradedPolicy.CONTINUE_CACHED, d.policy());
    assertEquals(1, d.version());
    assertEquals(lapse, d.since());
    assertEquals(List.of(), w.tick(lapse.plusSeconds(1)), "recorded once per transition");
    Instant graceEnd = lapse.plus(Duration.ofMinutes(10));
    assertTrue(w.state.admitting(graceEnd.minusMillis(1)));
    assertFalse(w.state.admitting(graceEnd), "grace is exclusive");
    assertInstanceOf(GraceExhausted.class, w.tick(graceEnd).get(0));
    assertEquals(List.of(), w.tick(graceEnd.plusSeconds(5)));
  }

  @Test
  void degradedTimeCountsFromTheLapseNotFromALateTick() {
    leasedV1("continue-cached", "10m");
    Instant lapse = NOW.plus(LIFETIME);
    List<WorkerConfigEvent> late = w.tick(lapse.plus(Duration.ofMinutes(11)));
    assertEquals(2, late.size(), late.toString());
    assertEquals(lapse, assertInstanceOf(DegradedModeEntered.class, late.get(0)).since());
    assertEquals(lapse.plus(Duration.ofMinutes(10)), assertInstanceOf(GraceExhausted.class, late.get(1)).at());
  }

  @Test
  void readOnlyAndStopAdmissionAdmitNothingOnceTheLeaseLapses() {
    for (String policy : List.of("read-only", "stop-admission")) {
      WorkerLeaseTest t = new WorkerLeaseTest();
      t.leasedV1(policy, null);
      Instant lapse = NOW.plus(LIFETIME);
      assertTrue(t.w.state.admitting(lapse.minusMillis(1)), policy);
      assertFalse(t.w.state.admitting(lapse), policy);
      assertEquals(policy, assertInstanceOf(DegradedModeEntered.class, t.w.tick(lapse).get(0)).policy().wireName());
    }
  }

  @Test
  void aValidTokenEndsTheDegradationAtOnce() {
    DsseEnvelope v1 = leasedV1("stop-admission", null);
    Instant lapse = NOW.plus(LIFETIME);
    w.tick(lapse);
    List<WorkerConfigEvent> back = w.token(w.leaseToken(1, ConfigFixtures.digest(v1), lapse, LIFETIME), lapse.plusSeconds(1));
    assertInstanceOf(LeaseExtended.class, back.get(0));
    LeaseRecovered r = assertInstanceOf(LeaseRecovered.class, back.get(1), back.toString());
    assertEquals(WorkerStatus.DEGRADED, r.from());
    assertTrue(w.state.admitting(lapse.plusSeconds(1)));
    assertEquals(List.of(), w.tick(lapse.plusSeconds(2)), "recovered once");
  }

  @Test
  void aWorkerThatWasNeverLeasedIsDegradedFromItsFirstApply() {
    DsseEnvelope v1 = w.version(1, "");
    w.snapshot(v1, NOW);
    List<WorkerConfigEvent> tick = w.tick(NOW);
    assertEquals(NOW, assertInstanceOf(DegradedModeEntered.class, tick.get(1), tick.toString()).since());
    Instant later = NOW.plusSeconds(30);
    w.snapshot(w.version(2, ConfigFixtures.digest(v1)), later);
    w.tick(later);
    assertEquals(NOW, w.state.degradedSince(), "a new version does not restart the grace");
  }

  @Test
  void anAppliedVersionThatExpiresStopsAdmissionUntilANewerOneArrives() {
    DsseEnvelope v1 = w.version(1, "", NOW.plus(Duration.ofMinutes(30)).toString(), ConfigFixtures.body(EGRESS), w.alice, w.bob, w.carol);
    w.snapshot(v1, NOW);
    w.tick(NOW);
    w.token(w.leaseToken(1, ConfigFixtures.digest(v1), NOW, Duration.ofHours(1)), NOW);
    Instant expiry = NOW.plus(Duration.ofMinutes(30));
    assertTrue(w.state.admitting(expiry.minusMillis(1)));
    assertFalse(w.state.admitting(expiry), "a frozen worker must not run on an expired config");
    assertInstanceOf(AppliedConfigExpired.class, w.tick(expiry).get(0));
    assertEquals(List.of(), w.tick(expiry.plusSeconds(1)));
    w.snapshot(w.version(2, ConfigFixtures.digest(v1)), expiry.plusSeconds(2));
    List<WorkerConfigEvent> back = w.tick(expiry.plusSeconds(2));
    assertInstanceOf(SnapshotApplied.class, back.get(0));
    assertEquals(WorkerStatus.CONFIG_EXPIRED, assertInstanceOf(LeaseRecovered.class, back.get(1), back.toString()).from());
  }

  @Test
  void tokensAreRefusedOnceTheTrustRootExpires() {
    var expiring = new WorkerConfigDriver(new ConfigBounds(8, 16), NOW.plusSeconds(10));
    DsseEnvelope v1 = expiring.version(1, "");
    expiring.snapshot(v1, NOW);
    expiring.tick(NOW);
    refusal(expiring.token(expiring.leaseToken(1, ConfigFixtures.digest(v1), NOW, LIFETIME), NOW.plusSeconds(10)),
        LeaseRefusal.TRUST_EXPIRED);
  }
}

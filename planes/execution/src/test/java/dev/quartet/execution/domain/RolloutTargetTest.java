package dev.quartet.execution.domain;

import dev.quartet.contracts.trust.DsseEnvelope;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.quartet.execution.domain.WorkerConfigDriver.FAR;
import static dev.quartet.execution.domain.WorkerConfigDriver.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cohort rule of staged rollouts and how a worker outside a version's cohort stays where it is. */
class RolloutTargetTest {
  private static final long SEED = 20261124L;

  private static WorkerIdentity worker(String id, Map<String, String> labels) {
    return new WorkerIdentity(id, WorkerQueue.parse("default/dev/main"), labels);
  }

  /** A worker id whose stable bucket is below (inside) or at/above (outside) {@code percent}. */
  static String idWithBucket(boolean below, int percent, Random random) {
    while (true) {
      String id = "w-" + Long.toHexString(random.nextLong());
      if ((RolloutTarget.bucket(id) < percent) == below) {
        return id;
      }
    }
  }

  @Test
  void theBucketIsAStableFunctionOfTheWorkerIdAlone() {
    // Pinned: SHA-256("worker-1")[0..8] as unsigned long mod 100. The control plane and docs rely on it never changing.
    assertEquals(25, RolloutTarget.bucket("worker-1"));
    assertEquals(93, RolloutTarget.bucket("worker-2"));
    Random random = new Random(SEED);
    for (int i = 0; i < 1_000; i++) {
      int b = RolloutTarget.bucket("w-" + random.nextLong());
      assertTrue(b >= 0 && b < 100, "bucket in 0..99, was " + b);
    }
  }

  @Test
  void aPercentCohortHoldsAboutThatShareOfWorkers() {
    Random random = new Random(SEED);
    RolloutTarget half = new RolloutTarget(50, Map.of());
    int inside = 0;
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      if (half.excludes(worker("w-" + Long.toHexString(random.nextLong()), Map.of())).isEmpty()) {
        inside++;
      }
    }
    assertTrue(Math.abs(inside - n / 2) < n * 3 / 100, "about 50% of " + n + " workers, were " + inside);
  }

  @Test
  void wideningTheCohortKeepsEveryWorkerAlreadyInIt() {
    Random random = new Random(SEED);
    for (int i = 0; i < 2_000; i++) {
      WorkerIdentity w = worker("w-" + Long.toHexString(random.nextLong()), Map.of());
      int narrow = random.nextInt(101);
      int wide = narrow + random.nextInt(101 - narrow);
      if (new RolloutTarget(narrow, Map.of()).excludes(w).isEmpty()) {
        assertTrue(new RolloutTarget(wide, Map.of()).excludes(w).isEmpty(), w.id() + " in " + narrow + "% but not in " + wide + "%");
      }
    }
  }

  @Test
  void zeroPercentTargetsNobodyAndAHundredEverybody() {
    Random random = new Random(SEED);
    for (int i = 0; i < 500; i++) {
      WorkerIdentity w = worker("w-" + Long.toHexString(random.nextLong()), Map.of());
      assertTrue(new RolloutTarget(0, Map.of()).excludes(w).isPresent());
      assertTrue(RolloutTarget.EVERY_WORKER.excludes(w).isEmpty());
    }
  }

  @Test
  void aLabelSelectorNeedsEveryLabel() {
    RolloutTarget zoneA = new RolloutTarget(100, Map.of("zone", "a", "tier", "canary"));
    assertTrue(zoneA.excludes(worker("w-1", Map.of("zone", "a", "tier", "canary", "gpu", "true"))).isEmpty());
    assertEquals("label tier=canary not carried", zoneA.excludes(worker("w-1", Map.of("zone", "a"))).orElseThrow());
    assertTrue(zoneA.excludes(worker("w-1", Map.of("zone", "b", "tier", "canary"))).isPresent());
  }

  @Test
  void theTargetIsReadFromTheSignedBody() {
    WorkerConfigDriver w = new WorkerConfigDriver();
    assertEquals(RolloutTarget.EVERY_WORKER, RolloutTarget.of(snapshot(w, ConfigFixtures.body(WorkerConfigDriver.EGRESS))));
    Map<String, Object> body = withRollout(Map.of("cohort", "25%", "labels", Map.of("zone", "a"), "bake", "10m"));
    assertEquals(new RolloutTarget(25, Map.of("zone", "a")), RolloutTarget.of(snapshot(w, body)));
    ConfigDocumentException e = assertThrows(ConfigDocumentException.class,
        () -> RolloutTarget.of(snapshot(w, withRollout(Map.of("cohort", "half")))));
    assertTrue(e.getMessage().startsWith("body.rollout.cohort: "), e.getMessage());
  }

  @Test
  void aWorkerOutsideTheCohortStaysOnItsVersionReportsOnceAndStaysLeased() {
    Random random = new Random(SEED);
    WorkerIdentity outside = worker(idWithBucket(false, 50, random), Map.of());
    WorkerIdentity inside = worker(idWithBucket(true, 50, random), Map.of());
    for (WorkerIdentity me : List.of(outside, inside)) {
      WorkerConfigDriver w = new WorkerConfigDriver();
      DsseEnvelope v1 = w.version(1, "");
      w.snapshot(v1, NOW);
      w.tick(NOW);
      DsseEnvelope v2 = w.version(2, ConfigFixtures.digest(v1), FAR, withRollout(Map.of("cohort", "50%")), w.alice, w.bob, w.carol);
      assertInstanceOf(WorkerConfigEvent.SnapshotLinked.class, w.snapshot(v2, NOW).get(0));
      List<WorkerConfigEvent> tick = WorkerConfigRules.onTick(w.state, me, NOW);
      tick.forEach(e -> w.state = e.applyTo(w.state));
      var excluded = WorkerConfigRules.exclusion(w.state, me, NOW);
      if (me == inside) {
        assertEquals(2, w.state.applied().version(), "a worker in the cohort applies v2");
        assertTrue(excluded.isEmpty());
        continue;
      }
      assertEquals(1, w.state.applied().version(), "a worker outside the cohort stays on v1: " + tick);
      assertEquals(2, excluded.orElseThrow().version());
      w.state = excluded.get().applyTo(w.state);
      assertTrue(WorkerConfigRules.exclusion(w.state, me, NOW).isEmpty(), "reported once");
      // The head's token leases the worker that verified v2 and stays below it by design.
      List<WorkerConfigEvent> leased = w.token(w.leaseToken(2, ConfigFixtures.digest(v2), NOW, java.time.Duration.ofSeconds(60)), NOW);
      assertInstanceOf(WorkerConfigEvent.LeaseExtended.class, leased.get(0), leased.toString());
      assertEquals(WorkerStatus.LEASED, w.state.status(NOW));
      // v3 for every worker follows v2 in the chain and applies.
      DsseEnvelope v3 = w.version(3, ConfigFixtures.digest(v2));
      assertInstanceOf(WorkerConfigEvent.SnapshotLinked.class, w.snapshot(v3, NOW).get(0));
      WorkerConfigRules.onTick(w.state, me, NOW).forEach(e -> w.state = e.applyTo(w.state));
      assertEquals(3, w.state.applied().version());
    }
  }

  private static ConfigSnapshot snapshot(WorkerConfigDriver w, Map<String, Object> body) {
    DsseEnvelope env = w.version(1, "", FAR, body, w.alice);
    return ConfigSnapshot.fromSignedPayload(env.payload());
  }

  private static Map<String, Object> withRollout(Map<String, Object> rollout) {
    Map<String, Object> body = new HashMap<>(ConfigFixtures.body(WorkerConfigDriver.EGRESS));
    body.put("rollout", rollout);
    return body;
  }
}

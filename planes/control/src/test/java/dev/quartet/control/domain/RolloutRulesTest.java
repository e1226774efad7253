package dev.quartet.control.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control plane's rollout verdict: halt on NACKs above the threshold, complete after the bake. */
class RolloutRulesTest {
  private static final Instant PUBLISHED = Instant.parse("2026-06-01T12:00:00Z");
  private static final Rollout HALF_FOR_TEN_MINUTES = new Rollout(50, Map.of(), Duration.ofMinutes(10), null);

  private static RolloutVerdict decide(Rollout r, RolloutTally t, int defaultMax, Duration after) {
    return RolloutRules.decide(r, PUBLISHED, t, defaultMax, PUBLISHED.plus(after));
  }

  @Test
  void bakesUntilTheBakeTimeHasPassed() {
    RolloutVerdict v = decide(HALF_FOR_TEN_MINUTES, new RolloutTally(3, 0, 3), 0, Duration.ofMinutes(9));
    assertEquals(RolloutState.IN_PROGRESS, v.state(), v.reason());
  }

  @Test
  void completesOnceBakedWithAcksAndNoNacks() {
    RolloutVerdict v = decide(HALF_FOR_TEN_MINUTES, new RolloutTally(3, 0, 3), 0, Duration.ofMinutes(10));
    assertEquals(RolloutState.COMPLETED, v.state(), v.reason());
    assertTrue(v.reason().contains("3 applied, 0 refused, 3 not in cohort"), v.reason());
  }

  @Test
  void aBakedRolloutWithoutAnyAckIsNotCompleted() {
    assertEquals(RolloutState.IN_PROGRESS, decide(HALF_FOR_TEN_MINUTES, new RolloutTally(0, 0, 4), 0, Duration.ofHours(1)).state());
  }

  @Test
  void oneNackHaltsAtOnceUnderTheDefaultZeroThresholdEvenWhileBaking() {
    RolloutVerdict v = decide(HALF_FOR_TEN_MINUTES, new RolloutTally(2, 1, 0), 0, Duration.ofSeconds(1));
    assertEquals(RolloutState.HALTED, v.state());
    assertEquals("1 of 3 reporting workers refused it (33% > 0% allowed)", v.reason());
  }

  @Test
  void theBodysThresholdOverridesThePlanesDefault() {
    Rollout tolerant = new Rollout(100, Map.of(), Duration.ZERO, 50);
    assertEquals(RolloutState.COMPLETED, decide(tolerant, new RolloutTally(1, 1, 0), 0, Duration.ZERO).state(), "50% is not above 50%");
    assertEquals(RolloutState.HALTED, decide(tolerant, new RolloutTally(1, 2, 0), 0, Duration.ZERO).state());
  }

  @Test
  void notInCohortReportsAreNeverNacks() {
    assertEquals(RolloutState.COMPLETED, decide(HALF_FOR_TEN_MINUTES, new RolloutTally(1, 0, 99), 0, Duration.ofMinutes(10)).state());
  }

  @Test
  void haltsExactlyWhenTheRateIsAboveTheThreshold() {
    Random random = new Random(20261124L);
    for (int i = 0; i < 2_000; i++) {
      long applied = random.nextInt(50);
      long refused = random.nextInt(50);
      int max = random.nextInt(101);
      RolloutVerdict v = decide(new Rollout(100, Map.of(), Duration.ZERO, null), new RolloutTally(applied, refused, 0), max, Duration.ZERO);
      boolean above = refused > 0 && (double) refused / (applied + refused) > max / 100.0;
      assertEquals(above, v.state() == RolloutState.HALTED,
          "applied=" + applied + " refused=" + refused + " max=" + max + "%: " + v);
    }
  }

  @Test
  void aVersionWithoutRolloutTargetsEveryWorkerAndDoesNotBake() {
    Rollout r = Rollout.of(ConfigSnapshot.fromSignedPayload(ConfigSnapshot.canonical(
        ConfigFixtures.doc("acme/dev", 1, "", "2030-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:1")))));
    assertTrue(r.everyWorker());
    assertEquals(Duration.ZERO, r.bake());
  }
}

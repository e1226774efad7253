package dev.quartet.evidence.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SilenceRulesTest {
  private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  private static final Duration BOUND = Duration.ofSeconds(90);

  @Test
  void opensAGapOnlyPastTheBound() {
    var atBound = row(NOW.minus(BOUND), false, null, null);
    var pastBound = row(NOW.minus(BOUND).minusMillis(1), false, null, null);
    assertEquals(List.of(new SilenceDecision.OpenGap(pastBound)), SilenceRules.decide(List.of(atBound, pastBound), NOW, BOUND));
  }

  @Test
  void aStoppedInstanceIsNotSilent() {
    assertEquals(List.of(), SilenceRules.decide(List.of(row(NOW.minusSeconds(3600), true, null, null)), NOW, BOUND));
  }

  @Test
  void anOpenGapIsNeitherReopenedNorClosedWhileStillSilent() {
    Instant last = NOW.minusSeconds(3600);
    assertEquals(List.of(), SilenceRules.decide(List.of(row(last, false, "g1", last)), NOW, BOUND));
  }

  @Test
  void closesTheGapOnceHeardFromAgainEvenByAStop() {
    Instant silentSince = NOW.minusSeconds(3600);
    var back = row(NOW.minusSeconds(1), false, "g1", silentSince);
    var stoppedAfter = row(NOW.minusSeconds(2), true, "g2", silentSince);
    assertEquals(List.of(new SilenceDecision.CloseGap(back), new SilenceDecision.CloseGap(stoppedAfter)),
        SilenceRules.decide(List.of(back, stoppedAfter), NOW, BOUND));
  }

  @Test
  void randomInstancesGetAtMostOneDecisionMatchingTheRules() {
    Random random = new Random(2026);
    for (int i = 0; i < 2000; i++) {
      Instant last = NOW.minusMillis(random.nextInt(200_000));
      boolean stopped = random.nextBoolean();
      boolean open = random.nextBoolean();
      Instant since = open ? last.minusMillis(random.nextInt(3) == 0 ? 0 : random.nextInt(100_000)) : null;
      var r = row(last, stopped, open ? "g" : null, since);
      List<SilenceDecision> d = SilenceRules.decide(List.of(r), NOW, BOUND);
      List<SilenceDecision> expected = open
          ? (last.isAfter(since) ? List.of(new SilenceDecision.CloseGap(r)) : List.of())
          : (!stopped && NOW.minus(BOUND).isAfter(last) ? List.of(new SilenceDecision.OpenGap(r)) : List.of());
      assertEquals(expected, d, "decision for " + r);
    }
  }

  private static PlaneLivenessRow row(Instant lastSeen, boolean stopped, String gap, Instant since) {
    return new PlaneLivenessRow("execution", "w-1", lastSeen, stopped, gap, since);
  }
}

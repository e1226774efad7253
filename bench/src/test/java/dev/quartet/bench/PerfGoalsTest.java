package dev.quartet.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerfGoalsTest {
  @Test
  void holdsEveryGoalOfPerfGoalsMd() {
    PerfGoals goals = PerfGoals.load();
    // 11 rows in PERF-GOALS.md; the task pipeline row has two halves, each judged against its own baseline.
    assertEquals(12, goals.all().size(), "PERF-GOALS.md's 11 goals, the task pipeline's in two: " + goals.all().keySet());
    assertEquals(0.45, goals.find("execution.task-pipeline-producer").orElseThrow().minRatio().getAsDouble(), 1e-9);
    PerfGoal append = goals.find("evidence.append").orElseThrow();
    assertEquals(0.90, append.minRatio().getAsDouble(), 1e-9);
    assertTrue(append.met(0.90).orElseThrow());
    assertFalse(append.met(0.89).orElseThrow());
  }

  @Test
  void latencyGoalsAreMaximumRatiosAndTextOnlyGoalsAreNotJudged() {
    PerfGoals goals = PerfGoals.load();
    PerfGoal publish = goals.find("config.publish-ack").orElseThrow();
    assertTrue(publish.met(2.5).orElseThrow());
    assertFalse(publish.met(3.5).orElseThrow());
    assertTrue(goals.find("evidence.checkpoint-lag").orElseThrow().met(1.0).isEmpty());
  }

  @Test
  void submitToRunningAllowsTheCommitIntervalPlusTwiceTheBaseline() {
    PerfGoal running = PerfGoals.load().find("execution.submit-to-running").orElseThrow();
    Duration commit = Duration.ofMillis(100);
    assertTrue(running.met(120.0, 10.0, commit).orElseThrow(), "120 ms <= 100 ms + 2 x 10 ms");
    assertFalse(running.met(120.1, 10.0, commit).orElseThrow(), "120.1 ms > 100 ms + 2 x 10 ms");
    assertEquals("<= commit interval + 2.00 x baseline", running.ratioText());
  }

  @Test
  void comparisonJudgesCommitIntervalGoalsOnTheMeanBaseline() {
    PerfGoal running = PerfGoals.load().find("execution.submit-to-running").orElseThrow();
    Figure before = Figure.latencyMillis("p99", 8);
    Figure after = Figure.latencyMillis("p99", 12);
    Comparison pass = Comparison.of("raw-e2e-latency", before, Figure.latencyMillis("p99", 119), after,
        Optional.of(running), Duration.ofMillis(100));
    assertEquals(Comparison.Verdict.PASS, pass.verdict(), "119 <= 100 + 2 x mean(8, 12)");
    assertEquals(119 / 10.0, pass.ratio(), 1e-9);
    Comparison below = Comparison.of("raw-e2e-latency", before, Figure.latencyMillis("p99", 121), after,
        Optional.of(running), Duration.ofMillis(100));
    assertEquals(Comparison.Verdict.BELOW, below.verdict());
  }

  @Test
  void refusesAGoalWithTwoCheckableParts() {
    assertThrows(IllegalArgumentException.class, () -> new PerfGoal("k", "s", "g", "b", OptionalDouble.empty(),
        OptionalDouble.of(3), OptionalDouble.of(2)));
  }
}

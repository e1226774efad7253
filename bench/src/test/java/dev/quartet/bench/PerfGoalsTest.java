package dev.quartet.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerfGoalsTest {
  @Test
  void holdsEveryGoalOfPerfGoalsMd() {
    PerfGoals goals = PerfGoals.load();
    assertEquals(11, goals.all().size(), "PERF-GOALS.md lists 11 goals: " + goals.all().keySet());
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
}

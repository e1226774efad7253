package dev.quartet.execution.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quartet.schemas.TaskState;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TaskLifecycleTest {
  @Test
  void nothingMovesATerminalTask() {
    for (TaskState terminal : new TaskState[] {TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED}) {
      assertTrue(TaskLifecycle.isTerminal(terminal));
      for (TaskState to : TaskState.values()) {
        assertFalse(TaskLifecycle.applies(terminal, 1, to, 1), terminal + " -> " + to);
        assertFalse(TaskLifecycle.applies(terminal, 1, to, 5), "not even a later attempt: " + terminal + " -> " + to);
      }
    }
    for (TaskState open : new TaskState[] {TaskState.PENDING, TaskState.LEASED, TaskState.RUNNING, TaskState.WAITING}) {
      assertFalse(TaskLifecycle.isTerminal(open));
    }
  }

  @Test
  void anOlderAttemptNeverOverridesANewerOne() {
    assertFalse(TaskLifecycle.applies(TaskState.PENDING, 2, TaskState.SUCCEEDED, 1));
    assertTrue(TaskLifecycle.applies(TaskState.PENDING, 2, TaskState.LEASED, 2));
    assertTrue(TaskLifecycle.applies(TaskState.RUNNING, 1, TaskState.PENDING, 1), "a retry re-enqueues within its attempt");
    assertTrue(TaskLifecycle.applies(null, 0, TaskState.PENDING, 1), "the first transition creates the task");
  }

  @Test
  void backoffGrowsExponentiallyWithJitterAndStaysWithinItsCap() {
    Random random = new Random(42);
    Duration initial = Duration.ofMillis(100);
    Duration max = Duration.ofSeconds(5);
    for (int attempt = 1; attempt <= 40; attempt++) {
      long capped = Math.min(100L << Math.min(attempt - 1, 20), max.toMillis());
      for (int i = 0; i < 50; i++) {
        long d = TaskLifecycle.backoff(attempt, initial, max, random).toMillis();
        assertTrue(d >= capped / 2 && d <= capped, "attempt " + attempt + ": " + d + " within [" + capped / 2 + ", " + capped + "]");
      }
    }
    assertEquals(0, TaskLifecycle.backoff(1, Duration.ZERO, max, random).toMillis() / 2, "a zero initial delay stays tiny");
  }
}

package dev.quartet.execution.domain;

import dev.quartet.schemas.TaskState;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/** The task state machine's rules that every reader and writer of task events shares. */
public final class TaskLifecycle {
  private static final Set<TaskState> TERMINAL = EnumSet.of(TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED);

  private TaskLifecycle() {}

  /** True for SUCCEEDED, FAILED and CANCELLED: nothing moves a task out of them. */
  public static boolean isTerminal(TaskState s) {
    return TERMINAL.contains(s);
  }

  /**
   * Whether a projection standing at {@code current} (attempt {@code currentAttempt}) takes a
   * transition to {@code to} made in attempt {@code attempt}. A terminal task never changes again and
   * a transition of an older attempt never overrides a newer one; Kafka's fencing already keeps a
   * zombie's writes out, this keeps a late cancel or a racing approval from reviving a task.
   */
  public static boolean applies(TaskState current, int currentAttempt, TaskState to, int attempt) {
    if (current == null) {
      return true;
    }
    return !isTerminal(current) && attempt >= currentAttempt;
  }

  /**
   * Delay before attempt {@code failedAttempt + 1}: exponential from {@code initial}, capped at
   * {@code max}, with full jitter over the upper half so that retries of many tasks spread out.
   */
  public static Duration backoff(int failedAttempt, Duration initial, Duration max, RandomGenerator random) {
    long base = initial.toMillis() << Math.min(Math.max(failedAttempt - 1, 0), 20);
    long capped = Math.min(Math.max(base, 1), max.toMillis());
    long half = capped / 2;
    return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
  }
}

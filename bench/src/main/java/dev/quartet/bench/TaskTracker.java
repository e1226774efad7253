package dev.quartet.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * What the bench knows of its tasks: when each was submitted, when it was seen RUNNING, whether it
 * ended, and how many are still outstanding (submitted, not ended) against a bound. Submission
 * answers and task events arrive on different threads in either order: a task seen ending before
 * its submission was answered is counted when the answer comes. Times are {@link System#nanoTime()}
 * values supplied by the caller. Thread-safe.
 */
final class TaskTracker {
  /** What happened to one task, as far as seen. */
  private static final class Seen {
    long submittedAt = -1;
    long runningAt = -1;
    long endedAt = -1;
    boolean ended;
  }

  private final int maxOutstanding;
  private final Map<String, Seen> tasks = new HashMap<>();
  private int reserved;
  private long succeeded;
  private long failed;

  /** @param maxOutstanding tasks submitted (or being submitted) and not yet ended, at most */
  TaskTracker(int maxOutstanding) {
    if (maxOutstanding < 1) {
      throw new IllegalArgumentException("maxOutstanding must be at least 1, was " + maxOutstanding);
    }
    this.maxOutstanding = maxOutstanding;
  }

  /** Reserves a slot for one submission; waits at most {@code waitNanos}. False when none came free. */
  synchronized boolean reserve(long waitNanos) throws InterruptedException {
    long deadline = System.nanoTime() + waitNanos;
    while (reserved >= maxOutstanding) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    reserved++;
    return true;
  }

  /** Gives back a slot whose submission was refused. */
  synchronized void unreserve() {
    release();
  }

  /** The submission of {@code taskId} was answered at {@code at}. */
  synchronized void submitted(String taskId, long at) {
    Seen s = tasks.computeIfAbsent(taskId, k -> new Seen());
    s.submittedAt = at;
    if (s.ended) {
      release();
    }
  }

  /** A {@code TaskStateChanged} to {@code state} (its name) was read at {@code at}. */
  synchronized void transition(String taskId, String state, long at) {
    Seen s = tasks.computeIfAbsent(taskId, k -> new Seen());
    if ("RUNNING".equals(state) && s.runningAt < 0) {
      s.runningAt = at;
    }
    boolean ends = "SUCCEEDED".equals(state) || "FAILED".equals(state) || "CANCELLED".equals(state);
    if (ends && !s.ended) {
      s.ended = true;
      s.endedAt = at;
      if ("SUCCEEDED".equals(state)) {
        succeeded++;
      } else {
        failed++;
      }
      if (s.submittedAt >= 0) {
        release();
      }
    }
    notifyAll();
  }

  /** Tasks seen SUCCEEDED so far. */
  synchronized long succeeded() {
    return succeeded;
  }

  /** Tasks seen FAILED or CANCELLED so far. */
  synchronized long failed() {
    return failed;
  }

  /** Slots held: submissions in flight plus tasks submitted and not yet seen ending. */
  synchronized int outstanding() {
    return reserved;
  }

  /** Nanoseconds from submission to RUNNING of {@code taskId}, waiting at most {@code waitNanos}; -1 when not seen in time. */
  synchronized long awaitRunning(String taskId, long submittedAt, long waitNanos) throws InterruptedException {
    long deadline = System.nanoTime() + waitNanos;
    while (true) {
      Seen s = tasks.get(taskId);
      if (s != null && s.runningAt >= 0) {
        return s.runningAt - submittedAt;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return -1;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Nanoseconds from submission to the end of {@code taskId}, waiting at most {@code waitNanos}; -1 when not seen in time. */
  synchronized long awaitEnded(String taskId, long submittedAt, long waitNanos) throws InterruptedException {
    long deadline = System.nanoTime() + waitNanos;
    while (true) {
      Seen s = tasks.get(taskId);
      if (s != null && s.ended) {
        return s.endedAt - submittedAt;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return -1;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Waits until every submitted task has ended; false when some had not after {@code waitNanos}. */
  synchronized boolean awaitDrained(long waitNanos) throws InterruptedException {
    long deadline = System.nanoTime() + waitNanos;
    while (reserved > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  private void release() {
    reserved--;
    notifyAll();
  }
}

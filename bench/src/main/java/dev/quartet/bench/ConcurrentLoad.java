package dev.quartet.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed loop of {@code clients} threads, each making one attempt after another (an HTTP put, a
 * fsync'd file write) for warm-up plus duration. Attempts that complete inside the measured window
 * count, by their completion time; a refused attempt (429) is counted apart and its client pauses
 * before trying again, as a well-behaved client honouring Retry-After would.
 */
final class ConcurrentLoad {
  private ConcurrentLoad() {}

  /** How one attempt ended. */
  enum Outcome {
    /** Done: counts as one unit of work. */
    ACCEPTED,
    /** Refused by backpressure (429): counted apart, the client pauses. */
    REFUSED,
    /** Nothing to do yet (e.g. no free slot): neither counted nor paused. */
    IDLE
  }

  /** One attempt by client {@code client} (0-based). */
  @FunctionalInterface
  interface Attempt {
    Outcome attempt(int client) throws Exception;
  }

  /** What completed in the measured window. */
  record Result(long accepted, long refused, double seconds) {
    double acceptedPerSecond() {
      return accepted / seconds;
    }
  }

  /**
   * Runs the loop. {@code opened} and {@code closed} run on the calling thread as the window opens
   * and closes. Every client stops at the end of the window; one still inside an attempt is waited
   * for at most {@code joinTimeout}.
   *
   * @throws IllegalStateException when an attempt failed, or a client did not stop in time
   */
  static Result run(int clients, Attempt attempt, Duration warmup, Duration duration, Duration refusedPause,
                    Duration joinTimeout, Runnable opened, Runnable closed) throws InterruptedException {
    long start = System.nanoTime();
    long windowStart = start + warmup.toNanos();
    long end = windowStart + duration.toNanos();
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t = new Thread(() -> {
        try {
          while (System.nanoTime() < end && failure.get() == null) {
            Outcome o = attempt.attempt(client);
            long at = System.nanoTime();
            boolean inWindow = at >= windowStart && at < end;
            if (o == Outcome.ACCEPTED && inWindow) {
              accepted.incrementAndGet();
            } else if (o == Outcome.REFUSED) {
              if (inWindow) {
                refused.incrementAndGet();
              }
              Thread.sleep(refusedPause.toMillis());
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        }
      }, "bench-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    sleepUntil(windowStart, failure);
    opened.run();
    sleepUntil(end, failure);
    closed.run();
    long joinDeadline = System.nanoTime() + joinTimeout.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
      if (t.isAlive()) {
        threads.forEach(Thread::interrupt);
        throw new IllegalStateException(t.getName() + " was still inside an attempt " + joinTimeout + " after the window closed");
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("an attempt failed: " + failure.get().getMessage(), failure.get());
    }
    return new Result(accepted.get(), refused.get(), duration.toNanos() / 1e9);
  }

  private static void sleepUntil(long deadline, AtomicReference<Exception> failure) throws InterruptedException {
    // Short naps, so a failing client ends the run early instead of after the whole window.
    for (long left = deadline - System.nanoTime(); left > 0 && failure.get() == null; left = deadline - System.nanoTime()) {
      Thread.sleep(Math.max(1, Math.min(50, left / 1_000_000)));
    }
  }
}

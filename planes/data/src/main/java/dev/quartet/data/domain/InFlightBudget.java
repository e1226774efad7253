package dev.quartet.data.domain;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on the bytes of requests being processed at once. Admission is all-or-nothing and
 * never waits: a request that does not fit is answered (429) rather than queued, so memory and
 * disk in use stay bounded under any flood.
 */
public final class InFlightBudget {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  /** @param capacity the most bytes in flight at once, > 0 */
  public InFlightBudget(long capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("in-flight capacity must be > 0, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** Reserves {@code bytes} if they fit now; the caller must {@link #release} exactly what it got. */
  public boolean tryAcquire(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
    }
    while (true) {
      long current = used.get();
      if (current + bytes > capacity) {
        return false;
      }
      if (used.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  /** Returns a reservation. */
  public void release(long bytes) {
    long after = used.addAndGet(-bytes);
    if (after < 0) {
      throw new IllegalStateException("released more in-flight bytes than were reserved (" + after + ")");
    }
  }

  /** Bytes reserved now. */
  public long used() {
    return used.get();
  }

  /** The bound. */
  public long capacity() {
    return capacity;
  }
}

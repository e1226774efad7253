package dev.quartet.control.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When silence makes a worker STALE and then LOST. Pure: the caller supplies both instants, read
 * from the control plane's own clock, so a worker's skewed clock neither keeps it alive nor buries it.
 */
public record LivenessBounds(Duration staleAfter, Duration lostAfter) {
  /** @throws IllegalArgumentException unless 0 < staleAfter < lostAfter */
  public LivenessBounds {
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(lostAfter, "lostAfter");
    if (staleAfter.isZero() || staleAfter.isNegative()) {
      throw new IllegalArgumentException("stale-after must be positive, was " + staleAfter);
    }
    if (lostAfter.compareTo(staleAfter) <= 0) {
      throw new IllegalArgumentException("lost-after (" + lostAfter + ") must be longer than stale-after (" + staleAfter + ")");
    }
  }

  /** A worker last heard from at {@code lastSeen}, judged at {@code now}; a lastSeen after now counts as just seen. */
  public WorkerLiveness livenessAt(Instant lastSeen, Instant now) {
    Duration silence = Duration.between(lastSeen, now);
    if (silence.compareTo(lostAfter) >= 0) {
      return WorkerLiveness.LOST;
    }
    return silence.compareTo(staleAfter) >= 0 ? WorkerLiveness.STALE : WorkerLiveness.LIVE;
  }
}

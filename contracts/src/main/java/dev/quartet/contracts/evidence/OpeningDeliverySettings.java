package dev.quartet.contracts.evidence;

import java.time.Duration;
import java.util.Optional;

/**
 * Bounds of an {@link OpeningCourier}.
 *
 * @param maxPendingEvents events whose openings may wait in memory for delivery at once; beyond, openings are reported lost at once
 * @param maxAttempts deposit attempts per event before its openings are reported lost
 * @param firstRetryDelay wait after the first failed attempt; doubled after each further one
 * @param maxRetryDelay longest wait between two attempts
 */
public record OpeningDeliverySettings(int maxPendingEvents, int maxAttempts, Duration firstRetryDelay, Duration maxRetryDelay) {
  public OpeningDeliverySettings {
    if (maxPendingEvents < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("OpeningDeliverySettings: maxPendingEvents and maxAttempts must be >= 1");
    }
    if (firstRetryDelay == null || firstRetryDelay.isNegative() || firstRetryDelay.isZero()
        || maxRetryDelay == null || maxRetryDelay.compareTo(firstRetryDelay) < 0) {
      throw new IllegalArgumentException("OpeningDeliverySettings: need 0 < firstRetryDelay <= maxRetryDelay, was "
          + firstRetryDelay + ", " + maxRetryDelay);
    }
  }

  /** The wait before attempt {@code attempt + 1} after {@code attempt} (1-based) failed; empty when attempts are used up. */
  public Optional<Duration> retryDelayAfter(int attempt) {
    if (attempt >= maxAttempts) {
      return Optional.empty();
    }
    // Doubling from the first delay, capped; compared before multiplying so it cannot overflow.
    long factor = 1L << Math.min(Math.max(attempt - 1, 0), 30);
    if (firstRetryDelay.compareTo(maxRetryDelay.dividedBy(factor)) >= 0) {
      return Optional.of(maxRetryDelay);
    }
    return Optional.of(firstRetryDelay.multipliedBy(factor));
  }
}

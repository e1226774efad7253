package dev.quartet.control.config;

import dev.quartet.control.domain.LivenessBounds;
import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The worker registry and config-status projection (defaults in application-control.yml).
 *
 * @param staleAfter silence after which a worker is shown STALE (several missed heartbeats)
 * @param lostAfter silence after which it is shown LOST; longer than {@code staleAfter}
 * @param consumerGroup the group that projects worker registrations, heartbeats and config ACK/NACKs
 * @param pollTimeout longest poll of that consumer; also bounds how long a stop waits for it
 * @param maxPollRecords records handled per poll before offsets are committed
 * @param maxRestartBackoff longest pause before a failed projection (e.g. database down) restarts
 * @param listLimit most workers one listing or status answer returns
 * @param maxLabels most labels a registration may carry; larger ones are skipped, not stored
 * @param maxReasonChars longest NACK reason kept; longer ones are cut
 */
@ConfigurationProperties("quartet.control.workers")
public record WorkerRegistrySettings(@NotNull Duration staleAfter,
                                     @NotNull Duration lostAfter,
                                     @NotBlank String consumerGroup,
                                     @NotNull Duration pollTimeout,
                                     @Min(1) @Max(10_000) int maxPollRecords,
                                     @NotNull Duration maxRestartBackoff,
                                     @Min(1) @Max(100_000) int listLimit,
                                     @Min(0) @Max(1_000) int maxLabels,
                                     @Min(16) @Max(10_000) int maxReasonChars) {
  /** @throws IllegalArgumentException naming the property that is out of range */
  public WorkerRegistrySettings {
    bounds(staleAfter, lostAfter);
    for (var d : new Duration[] {pollTimeout, maxRestartBackoff}) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("quartet.control.workers.poll-timeout and max-restart-backoff must be positive");
      }
    }
  }

  /** The STALE / LOST rule. */
  public LivenessBounds liveness() {
    return bounds(staleAfter, lostAfter);
  }

  private static LivenessBounds bounds(Duration staleAfter, Duration lostAfter) {
    try {
      return new LivenessBounds(staleAfter, lostAfter);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("quartet.control.workers: " + e.getMessage(), e);
    }
  }
}

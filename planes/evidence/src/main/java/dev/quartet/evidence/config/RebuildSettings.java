package dev.quartet.evidence.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Bounds of {@code quartet admin rebuild} for the evidence projections ({@code quartet.evidence.rebuild.*}).
 *
 * @param pollTimeout longest single poll while replaying the topic
 * @param maxPollRecords records per poll, i.e. per batch of rows written
 * @param timeout longest a whole rebuild may take; past it the rebuild is rolled back
 */
@ConfigurationProperties("quartet.evidence.rebuild")
public record RebuildSettings(@NotNull Duration pollTimeout,
                             @Min(1) @Max(10_000) int maxPollRecords,
                             @NotNull Duration timeout) {
  public RebuildSettings {
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new IllegalArgumentException("quartet.evidence.rebuild.timeout must be positive, was " + timeout);
    }
  }
}

package dev.quartet.evidence.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Bounds of reading evidence records back from the topic (for leaf bytes in export bundles).
 *
 * @param maxConcurrent Kafka consumers kept for reads, i.e. reads at once; more get 429
 * @param timeout longest wait for one record, fetch included
 */
@ConfigurationProperties("quartet.evidence.record-read")
public record RecordReadSettings(@Min(1) @Max(16) int maxConcurrent, @NotNull Duration timeout) {
  public RecordReadSettings {
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new IllegalArgumentException("quartet.evidence.record-read.timeout must be positive, was " + timeout);
    }
  }
}

package dev.quartet.evidence.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Bounds of redaction openings ({@code quartet.evidence.redaction.*}).
 *
 * @param maxOpeningsPerEvent most redacted attributes one event may deposit openings for
 * @param emitTimeout bound on writing the evidence event that records a destroyed opening
 */
@ConfigurationProperties("quartet.evidence.redaction")
public record RedactionSettings(@Min(1) @Max(1_000) int maxOpeningsPerEvent, @NotNull Duration emitTimeout) {
  public RedactionSettings {
    if (emitTimeout != null && (emitTimeout.isZero() || emitTimeout.isNegative())) {
      throw new IllegalArgumentException("quartet.evidence.redaction.emit-timeout must be positive, was " + emitTimeout);
    }
  }
}

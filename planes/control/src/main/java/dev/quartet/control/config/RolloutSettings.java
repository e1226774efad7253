package dev.quartet.control.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Staged rollouts (defaults in application-control.yml).
 *
 * @param checkInterval how often undecided rollouts are re-tallied and decided
 * @param maxNackPercent NACK rate of the reporting cohort above which a rollout halts, when the
 *     version's body names no {@code rollout.maxNackRate}; 0 halts on the first NACK
 * @param scanLimit most undecided rollouts looked at per check
 */
@ConfigurationProperties("quartet.control.rollout")
public record RolloutSettings(@NotNull Duration checkInterval, @Min(0) @Max(100) int maxNackPercent, @Min(1) @Max(10_000) int scanLimit) {
  /** @throws IllegalArgumentException if the interval is not positive */
  public RolloutSettings {
    if (checkInterval == null || checkInterval.isZero() || checkInterval.isNegative()) {
      throw new IllegalArgumentException("quartet.control.rollout.check-interval must be positive");
    }
  }
}

package dev.quartet.evidence.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Retention of evidence bodies ({@code quartet.evidence.retention.*}; SPEC "Evidence": retention
 * deletes bodies, checkpoints are kept). A sweeper deletes index rows and redaction openings of
 * events that occurred longer ago than {@code body}; leaf hashes, tree state and checkpoints stay.
 *
 * @param body how long an event's body is kept after it occurred
 * @param sweepInterval how often the sweeper runs
 * @param maxPerSweep most bodies one sweep deletes (the rest go in later sweeps)
 */
@ConfigurationProperties("quartet.evidence.retention")
public record RetentionSettings(@NotNull Duration body,
                               @NotNull Duration sweepInterval,
                               @Min(1) @Max(1_000_000) int maxPerSweep) {
  public RetentionSettings {
    requirePositive(body, "body");
    requirePositive(sweepInterval, "sweep-interval");
  }

  private static void requirePositive(Duration d, String name) {
    if (d != null && (d.isZero() || d.isNegative())) {
      throw new IllegalArgumentException("quartet.evidence.retention." + name + " must be positive, was " + d);
    }
  }
}

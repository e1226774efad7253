package dev.quartet.execution.config;

import dev.quartet.execution.domain.ConfigBounds;
import dev.quartet.execution.domain.WorkerIdentity;
import dev.quartet.execution.domain.WorkerQueue;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * A worker's settings (defaults in application-execution.yml). Checked in the constructor as
 * well, because {@code quartet worker} builds them without a bean context.
 *
 * @param enabled run one worker inside the execution plane process ({@code quartet up})
 * @param id the worker's id, unique per queue
 * @param queue {@code tenant/environment/queue}; the worker follows config scope {@code tenant/environment}
 * @param labels {@code k=v,…}, for routing and rollout cohorts; empty for none
 * @param trustFile the pinned trust root (DSSE-signed trust.json); the worker refuses to start without it
 * @param tickInterval how often the lease is evaluated and new versions applied; also the longest poll
 * @param maxClockSkew how far issuedAt of a snapshot or lease token may lead this worker's clock
 * @param maxEnvelopeBytes largest snapshot envelope read; larger ones are refused unread
 * @param maxPendingVersions verified versions kept above the applied one (see {@link ConfigBounds})
 * @param maxRememberedVersions digests remembered to tell replays from rollbacks
 * @param maxPollRecords records per poll of the config and lease-token topics
 * @param maxRestartBackoff longest pause before the feed is reopened after a Kafka failure
 * @param shutdownTimeout bound on stopping the feed and flushing acks and evidence
 */
@ConfigurationProperties("quartet.worker")
public record WorkerSettings(boolean enabled,
                             @NotBlank String id,
                             @NotBlank String queue,
                             @Nullable String labels,
                             @Nullable String trustFile,
                             @NotNull Duration tickInterval,
                             @NotNull Duration maxClockSkew,
                             @Min(1024) @Max(16 * 1024 * 1024) int maxEnvelopeBytes,
                             @Min(1) @Max(10_000) int maxPendingVersions,
                             @Min(1) @Max(100_000) int maxRememberedVersions,
                             @Min(1) @Max(10_000) int maxPollRecords,
                             @NotNull Duration maxRestartBackoff,
                             @NotNull Duration shutdownTimeout) {
  /** @throws IllegalArgumentException naming the property that is out of range */
  public WorkerSettings {
    positive(tickInterval, "tick-interval");
    positive(maxRestartBackoff, "max-restart-backoff");
    positive(shutdownTimeout, "shutdown-timeout");
    if (maxClockSkew == null || maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("quartet.worker.max-clock-skew must be zero or positive");
    }
    range(maxEnvelopeBytes, 1024, 16 * 1024 * 1024, "max-envelope-bytes");
    range(maxPendingVersions, 1, 10_000, "max-pending-versions");
    range(maxRememberedVersions, 1, 100_000, "max-remembered-versions");
    range(maxPollRecords, 1, 10_000, "max-poll-records");
    labels = labels == null ? "" : labels;
  }

  /**
   * The worker's identity from {@code id}, {@code queue} and {@code labels}.
   *
   * @throws IllegalArgumentException if one of them is malformed
   */
  public WorkerIdentity identity() {
    return new WorkerIdentity(id, WorkerQueue.parse(queue), WorkerIdentity.parseLabels(labels));
  }

  /** The memory bounds of the worker's config state. */
  public ConfigBounds bounds() {
    return new ConfigBounds(maxPendingVersions, maxRememberedVersions);
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("quartet.worker." + name + " must be positive, was " + d);
    }
  }

  private static void range(int n, int min, int max, String name) {
    if (n < min || n > max) {
      throw new IllegalArgumentException("quartet.worker." + name + " must be between " + min + " and " + max + ", was " + n);
    }
  }
}

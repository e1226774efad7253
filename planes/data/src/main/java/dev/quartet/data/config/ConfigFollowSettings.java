package dev.quartet.data.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.util.List;

/**
 * Following the signed config on {@code quartet.config.snapshots}, verified by the data plane itself.
 *
 * @param trustFile the pinned trust root (a signed DSSE {@code trust.json}); unset: no config is
 *     followed and the static limits of {@code quartet.data.payloads} apply to every route
 * @param scopes the config scopes ({@code tenant/environment}) followed; a payload of tenant T
 *     follows the scope of tenant T, a payload of no tenant the first scope listed
 * @param maxClockSkew how far in the future a snapshot's issuedAt may lie
 * @param maxEnvelopeBytes largest snapshot envelope read; larger ones are refused unread
 * @param pollTimeout longest one poll of the snapshot topic blocks (also the stop latency)
 * @param startTimeout how long start-up waits to find the topic's partitions
 */
@ConfigurationProperties("quartet.data.config")
public record ConfigFollowSettings(@Nullable String trustFile, @NotNull List<String> scopes, @NotNull Duration maxClockSkew,
                                   @Min(1) @Max(8 * 1024 * 1024) int maxEnvelopeBytes, @NotNull Duration pollTimeout,
                                   @NotNull Duration startTimeout) {
  /** Whether a trust root is configured, so config is followed. */
  public boolean enabled() {
    return trustFile != null && !trustFile.isBlank();
  }
}

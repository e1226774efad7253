package dev.quartet.runtime;

import dev.quartet.contracts.evidence.OpeningDeliverySettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How a plane process deposits the openings of the redacted evidence it emits
 * ({@code quartet.evidence-client.redaction.*}).
 *
 * @param evidenceUrl base URL of the evidence plane's API; blank: this process's own server when it runs the evidence plane
 * @param maxPendingEvents events whose openings may wait in memory for delivery; beyond, they are reported lost
 * @param maxAttempts deposit attempts per event before its openings are reported lost
 * @param firstRetryDelay wait after the first failed attempt, doubled after each further one
 * @param maxRetryDelay longest wait between two attempts
 * @param connectTimeout bound on connecting to the evidence plane
 * @param requestTimeout bound on one deposit request
 * @param tokenTtl lifetime of the depositor token this process mints for itself (re-minted at half-life)
 */
@ConfigurationProperties("quartet.evidence-client.redaction")
public record RedactionDeliveryProperties(@Nullable String evidenceUrl,
                                          @Min(1) int maxPendingEvents,
                                          @Min(1) int maxAttempts,
                                          @NotNull Duration firstRetryDelay,
                                          @NotNull Duration maxRetryDelay,
                                          @NotNull Duration connectTimeout,
                                          @NotNull Duration requestTimeout,
                                          @NotNull Duration tokenTtl) {
  public RedactionDeliveryProperties {
    for (Duration d : new Duration[] {connectTimeout, requestTimeout, tokenTtl}) {
      if (d != null && (d.isNegative() || d.isZero())) {
        throw new IllegalArgumentException("quartet.evidence-client.redaction: timeouts and token-ttl must be positive, was " + d);
      }
    }
    if (tokenTtl != null && tokenTtl.toSeconds() < 2) {
      throw new IllegalArgumentException("quartet.evidence-client.redaction.token-ttl must be at least 2s (tokens carry whole seconds)");
    }
  }

  /** The courier's bounds. @throws IllegalArgumentException when the retry delays are out of order */
  public OpeningDeliverySettings deliverySettings() {
    return new OpeningDeliverySettings(maxPendingEvents, maxAttempts, firstRetryDelay, maxRetryDelay);
  }
}

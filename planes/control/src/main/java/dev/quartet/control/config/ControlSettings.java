package dev.quartet.control.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Control-plane settings.
 *
 * @param trustFile the pinned trust root (a DSSE-signed trust.json) publishes are verified against
 * @param maxEnvelopeBytes largest snapshot envelope accepted (spec: 1 MiB)
 * @param publishTimeout bound on writing an accepted snapshot and its evidence to Kafka
 * @param historyLimit most versions one history page returns
 */
@ConfigurationProperties("quartet.control")
public record ControlSettings(@NotBlank String trustFile,
                              @Min(1024) @Max(16 * 1024 * 1024) int maxEnvelopeBytes,
                              @NotNull Duration publishTimeout,
                              @Min(1) @Max(10_000) int historyLimit) {}

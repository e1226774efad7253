package dev.quartet.data.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The quarantine's admin API.
 *
 * @param maxListed most held payloads one list answer carries (and its default)
 */
@ConfigurationProperties("quartet.data.quarantine")
public record QuarantineSettings(@Min(1) @Max(100_000) int maxListed) {}

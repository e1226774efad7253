package dev.quartet.data.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Bounds on the payload retention sweep (the retention itself is the applied config's
 * {@code retention.payloads}).
 *
 * @param interval time between two sweeps
 * @param batchSize payloads retired per index transaction: the length of one database write
 * @param maxBatches batches one sweep runs at most per scope; the rest waits for the next sweep
 */
@ConfigurationProperties("quartet.data.retention")
public record RetentionSettings(@NotNull Duration interval, @Min(1) @Max(10_000) int batchSize, @Min(1) int maxBatches) {}

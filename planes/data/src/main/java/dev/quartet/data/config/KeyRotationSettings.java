package dev.quartet.data.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Bounds on one key-encryption key rotation.
 *
 * @param batchSize payloads read from the index and re-wrapped per batch: the memory and the
 *     length of one database read of a rotation
 * @param maxBatches batches one rotation runs at most; payloads left over keep their old key
 *     (which is then not retired) until the next rotation
 */
@ConfigurationProperties("quartet.data.key-rotation")
public record KeyRotationSettings(@Min(1) @Max(10_000) int batchSize, @Min(1) int maxBatches) {}

package dev.quartet.data.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Reading inline payloads back from their Kafka records.
 *
 * @param consumers Kafka consumers kept for fetches by offset: the most concurrent inline reads
 * @param acquireTimeout how long a read waits for a free consumer before answering 429
 * @param fetchTimeout bound on one fetch by offset; past it the payload is reported unavailable
 */
@ConfigurationProperties("quartet.data.record-reader")
public record RecordReaderSettings(@Min(1) @Max(64) int consumers,
                                   @NotNull Duration acquireTimeout,
                                   @NotNull Duration fetchTimeout) {}

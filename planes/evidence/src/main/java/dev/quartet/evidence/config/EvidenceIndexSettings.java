package dev.quartet.evidence.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Bounds of the evidence index and its readers.
 *
 * @param consumerGroup Kafka group of the indexer
 * @param pollTimeout longest single poll of the indexer
 * @param maxPollRecords records per poll, i.e. per index batch
 * @param consumers indexer loops in the group; each owns some partitions, so PostgreSQL works on
 *     several batches at once (at most the evidence topic's partition count do work)
 * @param maxPageSize most events one query page returns
 * @param tailPollInterval how often a tail stream looks for new events
 * @param maxTailStreams concurrent tail streams; more get 429
 * @param maxRestartBackoff longest pause before the indexer retries after a failure
 */
@ConfigurationProperties("quartet.evidence.index")
public record EvidenceIndexSettings(@NotBlank String consumerGroup,
                                    @NotNull Duration pollTimeout,
                                    @Min(1) @Max(10_000) int maxPollRecords,
                                    @Min(1) @Max(64) int consumers,
                                    @Min(1) @Max(10_000) int maxPageSize,
                                    @NotNull Duration tailPollInterval,
                                    @Min(1) int maxTailStreams,
                                    @NotNull Duration maxRestartBackoff) {}

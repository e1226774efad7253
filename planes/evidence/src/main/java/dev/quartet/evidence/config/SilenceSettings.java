package dev.quartet.evidence.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Bounds of silent-plane detection ({@code quartet.evidence.silence.*}).
 *
 * @param consumerGroup Kafka group reading heartbeats off the evidence topic
 * @param silentAfter how long an instance may go without a heartbeat before it is a gap
 *     (a few heartbeat intervals, so one late beat is not an alarm)
 * @param scanInterval how often silence is looked for
 * @param pollTimeout longest single poll of the heartbeat reader
 * @param maxPollRecords records per poll of the heartbeat reader
 * @param maxInstancesPerScan most instances one scan examines
 * @param emitTimeout bound on writing one gap or gap-closed event
 */
@ConfigurationProperties("quartet.evidence.silence")
public record SilenceSettings(@NotBlank String consumerGroup,
                             @NotNull Duration silentAfter,
                             @NotNull Duration scanInterval,
                             @NotNull Duration pollTimeout,
                             @Min(1) @Max(10_000) int maxPollRecords,
                             @Min(1) @Max(100_000) int maxInstancesPerScan,
                             @NotNull Duration emitTimeout) {}

package dev.quartet.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How a plane reaches Kafka.
 *
 * @param bootstrapServers the cluster ({@code QUARTET_KAFKA_BOOTSTRAP})
 * @param brokerCount brokers the topics may be spread over: replication factor and
 *     min.insync.replicas of the catalog are capped to it (1 for the embedded broker)
 * @param requestTimeout bound on one admin or metadata request
 * @param deliveryTimeout bound on one produce, retries included
 */
@ConfigurationProperties("quartet.kafka")
public record KafkaSettings(@NotBlank String bootstrapServers,
                            @Min(1) int brokerCount,
                            @NotNull Duration requestTimeout,
                            @NotNull Duration deliveryTimeout) {}

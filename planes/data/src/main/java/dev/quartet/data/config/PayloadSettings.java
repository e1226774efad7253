package dev.quartet.data.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How payloads are stored.
 *
 * @param inlineThresholdBytes payloads up to this size travel inside a Kafka record; larger ones go to
 *     the blob store (SPEC default 256 KiB; capped so an encrypted record stays under Kafka's 1 MiB default)
 * @param maxInputBytes hard limit of one upload (SPEC default 10 MiB); over it: 413, nothing stored
 * @param chunkSizeBytes plaintext bytes per encrypted chunk: the unit of authentication and of
 *     decryption memory
 * @param defaultRoute route recorded when an upload names none
 * @param writeTimeout bound on the Kafka writes of one upload (record, events, evidence)
 */
@ConfigurationProperties("quartet.data.payloads")
public record PayloadSettings(@Min(0) @Max(768 * 1024) int inlineThresholdBytes,
                              @Min(1) long maxInputBytes,
                              @Min(1024) @Max(4 * 1024 * 1024) int chunkSizeBytes,
                              @NotBlank String defaultRoute,
                              @NotNull Duration writeTimeout) {}

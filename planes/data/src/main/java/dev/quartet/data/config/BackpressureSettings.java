package dev.quartet.data.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import java.time.Duration;

/**
 * Bounds on work in flight.
 *
 * @param maxInFlightBytes upload bytes being received at once (declared length, or the input limit
 *     when undeclared); an upload that does not fit gets 429 before its body is read. Must be at
 *     least {@code quartet.data.payloads.max-input-bytes}, or a maximal upload could never fit
 * @param retryAfter the Retry-After answered with 429
 */
@ConfigurationProperties("quartet.data.backpressure")
public record BackpressureSettings(@Positive long maxInFlightBytes, @NotNull Duration retryAfter) {}

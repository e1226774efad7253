package dev.quartet.execution.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The execution plane API's task settings (defaults in application-execution.yml).
 *
 * @param projectionGroup consumer group of the PostgreSQL projection of the task topics
 * @param pollTimeout longest poll of the projection
 * @param maxPollRecords records per poll of the projection
 * @param maxRestartBackoff longest pause before a failed projection restarts
 * @param watchInterval how often a watch stream looks for new transitions
 * @param watchMaxDuration longest a watch stream stays open; the client reconnects after it
 * @param maxPageSize most tasks one list call returns
 * @param maxParams most handler parameters a submission may carry
 */
@ConfigurationProperties("quartet.execution.tasks")
public record TaskApiSettings(@NotBlank String projectionGroup, @NotNull Duration pollTimeout,
                              @Min(1) @Max(10_000) int maxPollRecords, @NotNull Duration maxRestartBackoff,
                              @NotNull Duration watchInterval, @NotNull Duration watchMaxDuration,
                              @Min(1) @Max(1_000) int maxPageSize, @Min(0) @Max(256) int maxParams) {}

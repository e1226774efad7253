package dev.quartet.control.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * A scope's head (null version and digest when nothing is published), where each of its workers
 * stands, and the head's staged rollout (null when nothing is published).
 */
@Serdeable
public record ConfigStatusView(String scope, @Nullable Long version, @Nullable String digest, List<WorkerConfigView> workers,
                               @Nullable RolloutView rollout) {}

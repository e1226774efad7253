package dev.quartet.control.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A scope's head (null version and digest when nothing is published) and where each of its workers stands. */
@Serdeable
public record ConfigStatusView(String scope, @Nullable Long version, @Nullable String digest, List<WorkerConfigView> workers) {}

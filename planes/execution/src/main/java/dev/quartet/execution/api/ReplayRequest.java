package dev.quartet.execution.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A replay: under the recorded config version (default) or the one applied now. */
@Serdeable
public record ReplayRequest(@Nullable Boolean currentConfig) {}

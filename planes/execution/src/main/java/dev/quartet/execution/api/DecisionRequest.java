package dev.quartet.execution.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The optional reason given with a cancel, an approval or a rejection. */
@Serdeable
public record DecisionRequest(@Nullable String reason) {}

package dev.quartet.evidence.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** One page of a query; pass {@code next} as {@code after} to continue, null when done. */
@Serdeable
public record EvidencePage(List<EvidenceView> events, @Nullable Long next) {}

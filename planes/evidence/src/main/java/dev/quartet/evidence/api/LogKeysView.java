package dev.quartet.evidence.api;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** The keys that sign this log's checkpoints, and the origin prefix its partitions' origins start with. */
@Serdeable
public record LogKeysView(String originPrefix, List<NoteKeyView> keys) {}

package dev.quartet.evidence.api;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** RFC 9162 §2.1.4 consistency proof between two sizes of one partition's log, hashes in lowercase hex. */
@Serdeable
public record ConsistencyProofView(int partition, long fromSize, long toSize, List<String> hashes) {}

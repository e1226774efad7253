package dev.quartet.evidence.api;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * RFC 9162 §2.1.3 inclusion proof of one event: its leaf (index, hash of the record value's
 * exact bytes, Kafka offset) and the sibling hashes, leaf upwards, in lowercase hex, against the
 * signed checkpoint of {@code treeSize} leaves.
 */
@Serdeable
public record InclusionProofView(String eventId, int partition, long offset, long leafIndex, long treeSize,
                                 String leafHash, List<String> hashes, CheckpointView checkpoint) {}

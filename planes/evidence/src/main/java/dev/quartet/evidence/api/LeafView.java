package dev.quartet.evidence.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One event's Merkle leaf: its position, its RFC 9162 leaf hash (hex) and the leaf data itself,
 * the record value's exact bytes (base64), plus the size of the first signed checkpoint that
 * includes it (null until one is signed), which is the checkpoint to prove it against.
 */
@Serdeable
public record LeafView(String eventId, int partition, long offset, long leafIndex, String leafHash, String value,
                       @Nullable Long firstCheckpointSize) {}

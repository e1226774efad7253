package dev.quartet.evidence.api;

import dev.quartet.evidence.domain.PartitionCheckpoint;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.HexFormat;

/**
 * A signed checkpoint as the API shows it: the signed note exactly as signed (verify that, not
 * the other fields), plus its size and root in hex for convenience.
 */
@Serdeable
public record CheckpointView(int partition, String origin, long treeSize, String rootHash, String signedNote,
                             String signedAt, @Nullable String publishedAt) {
  static CheckpointView of(PartitionCheckpoint c) {
    return new CheckpointView(c.partition(), c.checkpoint().origin(), c.treeSize(),
        HexFormat.of().formatHex(c.checkpoint().rootHash()), c.checkpoint().signedNote(), c.signedAt().toString(),
        c.publishedAt() == null ? null : c.publishedAt().toString());
  }
}

package dev.quartet.evidence.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed checkpoint of one partition's log as the plane keeps it: when it was signed, and when
 * it was published to the checkpoints topic ({@code null} until then).
 */
public record PartitionCheckpoint(int partition, EvidenceCheckpoint checkpoint, Instant signedAt, Instant publishedAt) {
  /** @throws IllegalArgumentException for a negative partition */
  public PartitionCheckpoint {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(signedAt, "signedAt");
    if (partition < 0) {
      throw new IllegalArgumentException("PartitionCheckpoint: partition must be >= 0, was " + partition);
    }
  }

  /** The checkpoint's tree size. */
  public long treeSize() {
    return checkpoint.treeSize();
  }
}

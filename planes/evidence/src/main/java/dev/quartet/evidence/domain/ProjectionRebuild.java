package dev.quartet.evidence.domain;

import java.util.List;

/**
 * What a rebuild of the evidence projections did: how many records it replayed, how many events
 * it indexed, how many it left out as past retention, and per partition whether the leaves it
 * recomputed from the topic give the root of the latest signed checkpoint.
 */
public record ProjectionRebuild(long records, long indexed, long expired, List<PartitionCheck> partitions) {
  public ProjectionRebuild {
    partitions = List.copyOf(partitions);
  }

  /**
   * One partition: its {@code leaves} recomputed, and the signed size checked against
   * ({@code checkedSize}, 0 when there was no checkpoint or the topic no longer starts at offset 0).
   */
  public record PartitionCheck(int partition, long leaves, long checkedSize, boolean rootMatches) {}
}

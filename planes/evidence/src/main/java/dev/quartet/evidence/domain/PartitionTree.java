package dev.quartet.evidence.domain;

import dev.quartet.evidence.domain.merkle.CompactRange;
import java.util.Objects;

/**
 * The append-only Merkle log of one evidence-topic partition, as the sequencer keeps it: the
 * RFC 9162 tree state ({@link CompactRange}) and the Kafka offset of its last leaf.
 *
 * <p>Leaves are the partition's decodable evidence events in offset order; leaf data is the
 * record value exactly as it sits in Kafka (Avro single-object bytes, {@code C3 01} +
 * fingerprint + body), not a re-encoding: re-encoding depends on the reader's schema version,
 * while the stored bytes let any consumer of the topic recompute every leaf hash and the root.
 * Records the consumer dead-letters (undecodable) and non-evidence events are not leaves, so a
 * leaf index is not an offset. Offsets only grow within a partition, which makes the last
 * offset enough to recognise a redelivered record.
 */
public record PartitionTree(int partition, CompactRange range, long lastOffset) {
  /** @throws IllegalArgumentException for a negative partition, or a last offset that cannot hold {@code range.size()} leaves */
  public PartitionTree {
    Objects.requireNonNull(range, "range");
    if (partition < 0) {
      throw new IllegalArgumentException("PartitionTree: partition must be >= 0, was " + partition);
    }
    // Each leaf has its own offset, so n leaves end at offset n-1 or later; an empty log has none (-1).
    if (lastOffset < range.size() - 1) {
      throw new IllegalArgumentException("PartitionTree: " + range.size() + " leaves cannot end at offset " + lastOffset);
    }
  }

  /** The log of a partition nothing was sequenced from yet. */
  public static PartitionTree empty(int partition) {
    return new PartitionTree(partition, CompactRange.empty(), -1);
  }

  /** Number of leaves. */
  public long size() {
    return range.size();
  }

  /** RFC 9162 root of the leaves so far. */
  public byte[] root() {
    return range.root();
  }

  /**
   * Sequences the record at {@code offset}: the next leaf if the offset is past the last one,
   * otherwise a replay that changes nothing.
   *
   * @throws IllegalArgumentException for a negative offset or a leaf hash that is not 32 bytes
   */
  public Sequenced sequence(long offset, String eventId, byte[] leafHash) {
    if (offset < 0) {
      throw new IllegalArgumentException("PartitionTree: offset must be >= 0, was " + offset);
    }
    if (offset <= lastOffset) {
      return new Sequenced.AlreadyLogged(partition, offset, lastOffset);
    }
    EvidenceLeaf leaf = new EvidenceLeaf(partition, range.size(), offset, eventId, leafHash);
    return new Sequenced.Appended(new PartitionTree(partition, range.append(leafHash), offset), leaf);
  }
}

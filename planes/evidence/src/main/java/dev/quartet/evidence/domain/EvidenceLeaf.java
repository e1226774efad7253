package dev.quartet.evidence.domain;

import dev.quartet.evidence.domain.merkle.NodeHash;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One leaf of a partition's Merkle log: where it sits in the tree ({@code leafIndex}), where its
 * record sits in Kafka ({@code offset}), which event it is, and its RFC 9162 leaf hash. The leaf
 * data is the exact Avro single-object bytes of the record value, so anyone holding the topic can
 * recompute the hash without trusting Quartet's decoder (see {@link PartitionTree}).
 */
public record EvidenceLeaf(int partition, long leafIndex, long offset, String eventId, byte[] leafHash) {
  /** @throws IllegalArgumentException for a negative position, a leaf ahead of its offset or a hash that is not 32 bytes */
  public EvidenceLeaf {
    if (partition < 0 || leafIndex < 0 || offset < 0) {
      throw new IllegalArgumentException("EvidenceLeaf: partition, leaf index and offset must be >= 0, were "
          + partition + ", " + leafIndex + ", " + offset);
    }
    // Leaves are a subsequence of the partition's records, so a leaf can never be ahead of its offset.
    if (leafIndex > offset) {
      throw new IllegalArgumentException("EvidenceLeaf: leaf " + leafIndex + " cannot come from offset " + offset);
    }
    Objects.requireNonNull(eventId, "eventId");
    leafHash = NodeHash.requireHash(leafHash, "EvidenceLeaf: leaf hash").clone();
  }

  /** A copy of the leaf hash. */
  @Override
  public byte[] leafHash() {
    return leafHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EvidenceLeaf l && partition == l.partition && leafIndex == l.leafIndex && offset == l.offset
        && eventId.equals(l.eventId) && Arrays.equals(leafHash, l.leafHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partition, leafIndex, offset, eventId, Arrays.hashCode(leafHash));
  }

  @Override
  public String toString() {
    return "EvidenceLeaf[" + partition + ":" + leafIndex + " @" + offset + " " + eventId + " "
        + HexFormat.of().formatHex(leafHash) + "]";
  }
}

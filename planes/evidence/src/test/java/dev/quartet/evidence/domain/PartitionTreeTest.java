package dev.quartet.evidence.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quartet.evidence.domain.merkle.CompactRange;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.domain.merkle.LeafHashes;
import dev.quartet.evidence.domain.merkle.MerkleRoot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sequencer's per-partition log: leaves in offset order, replays ignored, resumable from stored bytes. */
class PartitionTreeTest {

  @Test
  void appendsLeavesInOffsetOrderSkippingGapsInOffsets() {
    PartitionTree tree = PartitionTree.empty(3);
    List<byte[]> hashes = new ArrayList<>();
    // Offsets 1 and 4 were dead-lettered: leaf indices stay dense, offsets do not.
    for (long offset : new long[] {0, 2, 3, 5}) {
      byte[] h = leaf(offset);
      Sequenced.Appended a = assertInstanceOf(Sequenced.Appended.class, tree.sequence(offset, "e" + offset, h));
      assertEquals(hashes.size(), a.leaf().leafIndex(), "leaf index of offset " + offset);
      assertEquals(offset, a.leaf().offset());
      assertEquals(3, a.leaf().partition());
      hashes.add(h);
      tree = a.tree();
    }
    assertEquals(4, tree.size());
    assertEquals(5, tree.lastOffset());
    assertArrayEquals(MerkleRoot.of(LeafHashes.of(hashes), 4), tree.root(), "root equals the RFC 9162 root of the leaves");
  }

  @Test
  void redeliveredRecordIsNotASecondLeaf() {
    PartitionTree tree = appended(PartitionTree.empty(0), 0, 1, 2);
    for (long offset = 0; offset <= 2; offset++) {
      Sequenced.AlreadyLogged replay = assertInstanceOf(Sequenced.AlreadyLogged.class,
          tree.sequence(offset, "e" + offset, leaf(offset)), "offset " + offset + " again");
      assertEquals(2, replay.lastOffset());
    }
    assertEquals(3, tree.size());
  }

  @Test
  void resumesFromStoredStateExactlyAsIfNeverStopped() {
    PartitionTree straight = appended(PartitionTree.empty(1), 0, 1, 2, 3, 4, 5, 6);
    PartitionTree half = appended(PartitionTree.empty(1), 0, 1, 2);
    PartitionTree restored = new PartitionTree(1, CompactRange.fromBytes(half.range().toBytes()), half.lastOffset());
    PartitionTree resumed = appended(appended(restored, 0, 1, 2), 3, 4, 5, 6);  // redelivery first, then new records
    assertEquals(straight, resumed);
    assertArrayEquals(straight.root(), resumed.root());
  }

  @Test
  void refusesImpossibleStates() {
    assertThrows(IllegalArgumentException.class, () -> new PartitionTree(-1, CompactRange.empty(), -1));
    assertThrows(IllegalArgumentException.class, () -> new PartitionTree(0, CompactRange.empty(), -2));
    CompactRange two = CompactRange.empty().append(leaf(0)).append(leaf(1));
    assertThrows(IllegalArgumentException.class, () -> new PartitionTree(0, two, 0), "2 leaves cannot end at offset 0");
    assertThrows(IllegalArgumentException.class, () -> PartitionTree.empty(0).sequence(-1, "e", leaf(0)));
    assertThrows(IllegalArgumentException.class, () -> PartitionTree.empty(0).sequence(0, "e", new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> new EvidenceLeaf(0, 5, 4, "e", leaf(0)), "leaf ahead of its offset");
  }

  private static PartitionTree appended(PartitionTree tree, long... offsets) {
    for (long offset : offsets) {
      Sequenced s = tree.sequence(offset, "e" + offset, leaf(offset));
      if (s instanceof Sequenced.Appended a) {
        tree = a.tree();
      }
    }
    return tree;
  }

  private static byte[] leaf(long offset) {
    return LeafHash.of(("record " + offset).getBytes(StandardCharsets.UTF_8));
  }
}

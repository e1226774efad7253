package dev.quartet.cli;

import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.domain.merkle.LeafHashes;
import dev.quartet.evidence.domain.merkle.MerkleRoot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The allocation-free hashing verify uses gives the evidence domain's leaf hashes and roots. */
class TreeHashingTest {
  @Test
  void leafHashesAndRootsAtEverySizeMatchTheDomain() {
    TreeHashing t = new TreeHashing();
    List<byte[]> leaves = new ArrayList<>();
    byte[] flat = new byte[70 * TreeHashing.HASH];
    for (int i = 0; i < 70; i++) {
      byte[] data = new byte[i * 3];
      java.util.Arrays.fill(data, (byte) i);
      byte[] padded = new byte[data.length + 2];
      System.arraycopy(data, 0, padded, 1, data.length);
      t.leaf(padded, 1, 1 + data.length, flat, i * TreeHashing.HASH);
      leaves.add(LeafHash.of(data));
      assertArrayEquals(leaves.get(i), java.util.Arrays.copyOfRange(flat, i * 32, i * 32 + 32), "leaf " + i);
    }
    t.reset();
    byte[] root = new byte[32];
    for (int size = 1; size <= 70; size++) {
      t.append(flat, (size - 1) * TreeHashing.HASH);
      t.root(root, 0);
      assertArrayEquals(MerkleRoot.of(LeafHashes.of(leaves), size), root, "root of size " + size);
    }
  }
}

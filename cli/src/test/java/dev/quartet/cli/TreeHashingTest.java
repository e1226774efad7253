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

  @Test
  void subtreesAppendedWholeGiveTheRootsOfTheirLeavesOneByOne() {
    java.util.Random random = new java.util.Random(9);
    byte[] flat = new byte[300 * TreeHashing.HASH];
    random.nextBytes(flat);
    TreeHashing one = new TreeHashing();
    TreeHashing chunked = new TreeHashing();
    TreeHashing sub = new TreeHashing();
    byte[] expected = new byte[32];
    byte[] actual = new byte[32];
    for (int height : new int[] {1, 2, 4, 6}) {
      int width = 1 << height;
      one.reset();
      chunked.reset();
      for (int size = 0; size + width <= 300; ) {
        boolean whole = random.nextBoolean();
        if (whole) {
          sub.reset();
          for (int j = size; j < size + width; j++) {
            sub.append(flat, j * TreeHashing.HASH);
            one.append(flat, j * TreeHashing.HASH);
          }
          byte[] r = new byte[32];
          sub.root(r, 0);
          chunked.appendSubtree(r, 0, height);
          size += width;
        } else {
          for (int j = size; j < size + width; j++) {
            one.append(flat, j * TreeHashing.HASH);
            chunked.append(flat, j * TreeHashing.HASH);
          }
          size += width;
        }
        one.root(expected, 0);
        chunked.root(actual, 0);
        assertArrayEquals(expected, actual, "height " + height + ", size " + size);
        org.junit.jupiter.api.Assertions.assertEquals(one.size(), chunked.size());
      }
    }
    TreeHashing odd = new TreeHashing();
    odd.append(flat, 0);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> odd.appendSubtree(flat, 0, 1));
  }

  @Test
  void chunksAreAboutEightPerThreadAndNeverTiny() {
    org.junit.jupiter.api.Assertions.assertEquals(0, BundleEventChecks.chunkHeight(100, 2));
    org.junit.jupiter.api.Assertions.assertEquals(13, BundleEventChecks.chunkHeight(200_000, 2));
    org.junit.jupiter.api.Assertions.assertEquals(4, BundleEventChecks.chunkHeight(2000, 8));
  }
}

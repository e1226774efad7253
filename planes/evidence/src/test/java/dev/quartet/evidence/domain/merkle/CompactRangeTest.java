package dev.quartet.evidence.domain.merkle;

import static dev.quartet.evidence.domain.SharedVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompactRangeTest {
  private static final long SEED = 0xC0FFEEL;

  @Test
  void rootAtEverySizeEqualsWholeTreeHash() {
    List<byte[]> leaves = randomLeaves(new Random(SEED), 300);
    CompactRange state = CompactRange.empty();
    for (int n = 0; n <= leaves.size(); n++) {
      assertEquals(hex(ReferenceMerkle.mth(leaves, 0, n)), hex(state.root()), "root at size " + n);
      assertEquals(n, state.size());
      if (n < leaves.size()) {
        state = state.append(leaves.get(n));
      }
    }
  }

  @Test
  void serializedStateRoundTripsAtEverySize() {
    List<byte[]> leaves = randomLeaves(new Random(SEED), 300);
    CompactRange state = CompactRange.empty();
    for (byte[] leaf : leaves) {
      byte[] bytes = state.toBytes();
      CompactRange restored = CompactRange.fromBytes(bytes);
      assertEquals(state, restored, "round trip at size " + state.size());
      assertArrayEquals(bytes, restored.toBytes(), "re-serialized bytes at size " + state.size());
      assertEquals(1 + 8 + 32 * Long.bitCount(state.size()), bytes.length, "serialized length at size " + state.size());
      state = state.append(leaf);
    }
  }

  @Test
  void restartFromSerializedStateResumesExactly() {
    Random rnd = new Random(SEED);
    List<byte[]> leaves = randomLeaves(rnd, 500);
    CompactRange continuous = CompactRange.empty();
    CompactRange restarted = CompactRange.empty();
    for (byte[] leaf : leaves) {
      continuous = continuous.append(leaf);
      // A restart at a random point: the shell would persist toBytes() and read it back.
      restarted = rnd.nextInt(7) == 0 ? CompactRange.fromBytes(restarted.toBytes()).append(leaf) : restarted.append(leaf);
      assertEquals(continuous, restarted, "state after " + continuous.size() + " leaves");
    }
    assertEquals(hex(continuous.root()), hex(restarted.root()));
  }

  @Test
  void appendIsPersistentLeavingEarlierStatesUnchanged() {
    List<byte[]> leaves = randomLeaves(new Random(SEED), 3);
    CompactRange two = CompactRange.empty().append(leaves.get(0)).append(leaves.get(1));
    byte[] rootBefore = two.root();
    two.append(leaves.get(2));
    assertArrayEquals(rootBefore, two.root(), "appending must not change the state appended to");
    assertEquals(2, two.size());
  }

  @Test
  void appendRefusesWrongLengthLeafHash() {
    assertThrows(IllegalArgumentException.class, () -> CompactRange.empty().append(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> CompactRange.empty().append(null));
  }

  @Test
  void largeSizeSerializesWithOneHashPerSetBit() {
    // fromBytes accepts any size whose hash count matches: a state at 2^40 + 3 leaves has 3 hashes.
    long size = (1L << 40) + 3;
    ByteBuffer b = ByteBuffer.allocate(1 + 8 + 3 * 32).put(CompactRange.FORMAT_VERSION).putLong(size);
    CompactRange state = CompactRange.fromBytes(b.array());
    assertEquals(size, state.size());
    assertEquals(size + 1, state.append(new byte[32]).size());
  }

  @Test
  void fromBytesRejectsCorruptState() {
    byte[] good = CompactRange.empty().append(new byte[32]).append(new byte[32]).append(new byte[32]).toBytes();
    assertRejects(Arrays.copyOf(good, good.length - 1), "needs 2 hashes");
    assertRejects(Arrays.copyOf(good, good.length + 32), "needs 2 hashes");
    assertRejects(Arrays.copyOf(good, 5), "shorter than");
    byte[] wrongVersion = good.clone();
    wrongVersion[0] = 2;
    assertRejects(wrongVersion, "format version 2");
    byte[] negative = good.clone();
    negative[1] = (byte) 0x80;
    assertRejects(negative, "negative size");
  }

  private static void assertRejects(byte[] bytes, String reasonPart) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompactRange.fromBytes(bytes));
    assertTrue(e.getMessage().contains(reasonPart), "expected a reason containing '" + reasonPart + "', got: " + e.getMessage());
  }

  static List<byte[]> randomLeaves(Random rnd, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] data = new byte[16];
      rnd.nextBytes(data);
      out.add(LeafHash.of(data));
    }
    return out;
  }
}

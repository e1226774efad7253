package dev.quartet.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames of events/records.bin and the reader of untrusted event entries. */
class BundleRecordsTest {
  @Test
  void frameHeaderHoldsPositionHashAndBothLengths() throws IOException {
    byte[] hash = new byte[32];
    Arrays.fill(hash, (byte) 7);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] header = BundleRecords.write(out, 3, 1L << 40, hash, new byte[] {1, 2, 3}, 1234);
    byte[] frame = out.toByteArray();
    assertEquals(BundleRecords.HEADER_BYTES + 3, frame.length);
    assertArrayEquals(header, Arrays.copyOf(frame, BundleRecords.HEADER_BYTES));
    assertEquals(3, BundleRecords.getInt(frame, BundleRecords.PARTITION_AT));
    assertEquals(1L << 40, BundleRecords.getLong(frame, BundleRecords.LEAF_INDEX_AT));
    assertArrayEquals(hash, Arrays.copyOfRange(frame, BundleRecords.LEAF_HASH_AT, BundleRecords.LEAF_HASH_AT + 32));
    assertEquals(3, BundleRecords.getInt(frame, BundleRecords.LENGTH_AT));
    assertEquals(1234, BundleRecords.getInt(frame, BundleRecords.RENDERING_LENGTH_AT));
    assertThrows(IllegalArgumentException.class, () -> BundleRecords.write(out, 0, 0, hash, new byte[0], -1));
  }

  @Test
  void newlineSearchFindsTheFirstNewlineWhereverItIs() {
    Random random = new Random(1);
    for (int i = 0; i < 5000; i++) {
      byte[] b = new byte[random.nextInt(40)];
      for (int k = 0; k < b.length; k++) {
        b[k] = (byte) (random.nextInt(10) == 0 ? '\n' : random.nextInt(256));
      }
      int from = b.length == 0 ? 0 : random.nextInt(b.length);
      int to = from + random.nextInt(b.length - from + 1);
      int expected = -1;
      for (int k = from; k < to; k++) {
        if (b[k] == '\n') {
          expected = k;
          break;
        }
      }
      assertEquals(expected, BundleRecords.Reader.indexOf(b, from, to));
    }
  }

  @Test
  void readerReadsSmallAndLargeReadsAcrossItsBufferAndBoundsTheEntry() throws IOException {
    byte[] data = new byte[3 * (1 << 20) + 12345];
    new Random(2).nextBytes(data);
    BundleRecords.Reader r = new BundleRecords.Reader(trickle(data), data.length);
    byte[] got = new byte[data.length];
    int at = 0;
    int[] sizes = {1, 48, 1024, 70_000, 3, 2 << 20, 17};
    for (int k = 0; at < data.length; k++) {
      int len = Math.min(sizes[k % sizes.length], data.length - at);
      assertTrue(r.readFully(got, at, len));
      at += len;
    }
    assertArrayEquals(data, got);
    assertTrue(r.atEnd());
    assertFalse(r.readFully(new byte[1], 0, 1));
    BundleRecords.Reader bounded = new BundleRecords.Reader(trickle(data), data.length - 1);
    assertThrows(IllegalArgumentException.class, () -> bounded.read(new byte[data.length], 0, data.length));
    BundleRecords.Reader shorter = new BundleRecords.Reader(trickle(data), data.length);
    assertEquals(data.length, shorter.read(new byte[data.length + 100_000], 0, data.length + 100_000));
  }

  /** A stream that returns at most 100,000 bytes a read, as zip streams return less than asked. */
  private static InputStream trickle(byte[] data) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 100_000));
      }
    };
  }
}

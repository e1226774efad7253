package dev.quartet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * {@code events/records.bin}: one frame per event, back to back, nothing before or after. A frame
 * is, big-endian: partition (4 bytes), leaf index in that partition's log (8), the RFC 9162 leaf
 * hash SHA-256(0x00 ‖ record) (32), the record's length (4), the length of the event's line in
 * {@code events/renderings.jsonl} without its newline (4), then the record's exact bytes (as Kafka
 * holds them: the Merkle leaf data). The first five fields are the frame's header; the manifest
 * binds the entry by the SHA-256 of all headers in order ({@link #headersSha256}), not of every
 * byte: each record is bound by its leaf hash, which verify recomputes and proves against signed
 * checkpoints, and each rendering line by being the rendering of its record. The listed leaf hash
 * is there so that a damaged record is named even where a whole range of leaves is proven at once;
 * the rendering length lets verify cut the renderings into events without scanning for newlines.
 */
final class BundleRecords {
  /** Bytes before a record: partition, leaf index, leaf hash, record length, rendering length. */
  static final int HEADER_BYTES = 4 + 8 + 32 + 4 + 4;
  /** Offsets of the header fields. */
  static final int PARTITION_AT = 0;
  static final int LEAF_INDEX_AT = 4;
  static final int LEAF_HASH_AT = 12;
  static final int LENGTH_AT = 44;
  static final int RENDERING_LENGTH_AT = 48;
  /** The longest rendering line a frame may announce. */
  static final int MAX_RENDERING_BYTES = 16 * 1024 * 1024;
  /** The largest record a frame may hold: above Kafka's default 1 MiB message limit. */
  static final int MAX_RECORD_BYTES = 4 * 1024 * 1024;

  private BundleRecords() {}

  /** Writes one frame; returns its header (what {@link #headersSha256} hashes). */
  static byte[] write(OutputStream out, int partition, long leafIndex, byte[] leafHash, byte[] record, int renderingLength)
      throws IOException {
    if (leafHash.length != 32 || partition < 0 || leafIndex < 0 || record.length > MAX_RECORD_BYTES
        || renderingLength < 0 || renderingLength > MAX_RENDERING_BYTES) {
      throw new IllegalArgumentException("not a frame: partition " + partition + ", leaf " + leafIndex + ", "
          + leafHash.length + "-byte leaf hash, " + record.length + "-byte record, " + renderingLength + "-byte rendering");
    }
    byte[] header = new byte[HEADER_BYTES];
    putInt(header, PARTITION_AT, partition);
    putLong(header, LEAF_INDEX_AT, leafIndex);
    System.arraycopy(leafHash, 0, header, LEAF_HASH_AT, 32);
    putInt(header, LENGTH_AT, record.length);
    putInt(header, RENDERING_LENGTH_AT, renderingLength);
    out.write(header);
    out.write(record);
    return header;
  }

  /**
   * A fresh SHA-256 for the frame headers of a records entry: fed every {@link #HEADER_BYTES}-byte
   * header in order (nothing else), its digest is what the manifest's {@code events.framesSha256} lists.
   */
  static MessageDigest headersSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  static int getInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
  }

  static long getLong(byte[] b, int at) {
    return ((long) getInt(b, at) << 32) | (getInt(b, at + 4) & 0xffffffffL);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static void putLong(byte[] b, int at, long v) {
    putInt(b, at, (int) (v >>> 32));
    putInt(b, at + 4, (int) v);
  }

  /**
   * Reads an untrusted entry front to back through one large buffer (large reads go straight to
   * their destination), refusing to read more than {@code maxBytes}.
   */
  static final class Reader {
    /** Reads at least this long bypass the buffer when it is empty. */
    private static final int DIRECT = 64 * 1024;
    private final InputStream in;
    private final long maxBytes;
    private final byte[] buf = new byte[1 << 20];
    private int pos;
    private int end;
    private long total;
    private boolean eof;

    Reader(InputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    /** Copies exactly {@code len} bytes into {@code dst}; false when the entry ends first (nothing consumed then counts). */
    boolean readFully(byte[] dst, int off, int len) throws IOException {
      return read(dst, off, len) == len;
    }

    /** Copies up to {@code len} bytes into {@code dst}, fewer only where the entry ends; returns how many. */
    int read(byte[] dst, int off, int len) throws IOException {
      int done = 0;
      while (done < len) {
        if (pos == end) {
          if (len - done >= DIRECT && !eof) {
            int n = in.read(dst, off + done, len - done);
            if (n < 0) {
              eof = true;
              return done;
            }
            count(n);
            done += n;
            continue;
          }
          if (!fill()) {
            return done;
          }
        }
        int n = Math.min(len - done, end - pos);
        System.arraycopy(buf, pos, dst, off + done, n);
        pos += n;
        done += n;
      }
      return done;
    }

    /** True when the entry has no byte left; reads ahead at most one buffer. */
    boolean atEnd() throws IOException {
      return pos == end && !fill();
    }

    /**
     * Appends the next line (without its {@code '\n'}) to {@code into} and returns its length, or -1 at
     * the end of the entry. @throws IllegalArgumentException for a line longer than {@code maxLine} or without its {@code '\n'}
     */
    int readLine(Growable into, int maxLine) throws IOException {
      if (atEnd()) {
        return -1;
      }
      int length = 0;
      while (true) {
        if (pos == end && !fill()) {
          throw new IllegalArgumentException("the last line does not end with a newline");
        }
        int nl = indexOf(buf, pos, end);
        int stop = nl < 0 ? end : nl;
        int n = stop - pos;
        if (length + (long) n > maxLine) {
          throw new IllegalArgumentException("a line is longer than " + maxLine + " bytes");
        }
        into.append(buf, pos, n);
        length += n;
        pos = stop;
        if (nl >= 0) {
          pos++;
          return length;
        }
      }
    }

    private boolean fill() throws IOException {
      if (eof) {
        return false;
      }
      int n = in.read(buf, 0, buf.length);
      while (n == 0) {
        n = in.read(buf, 0, buf.length);
      }
      if (n < 0) {
        eof = true;
        pos = end = 0;
        return false;
      }
      count(n);
      pos = 0;
      end = n;
      return true;
    }

    private void count(int n) {
      total += n;
      if (total > maxBytes) {
        throw new IllegalArgumentException("the entry inflates beyond " + maxBytes + " bytes");
      }
    }

    private static final java.lang.invoke.VarHandle LONGS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The first newline in {@code b[from, to)}, or -1; eight bytes at a time while none is among them. */
    static int indexOf(byte[] b, int from, int to) {
      int i = from;
      while (i + 8 <= to) {
        long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
        if (((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0) {
          break; // a zero byte, i.e. a newline, among these eight
        }
        i += 8;
      }
      for (; i < to; i++) {
        if (b[i] == '\n') {
          return i;
        }
      }
      return -1;
    }
  }

  /** A reusable byte buffer that grows as needed. */
  static final class Growable {
    byte[] bytes;
    int length;

    Growable(int capacity) {
      bytes = new byte[capacity];
    }

    void clear() {
      length = 0;
    }

    void append(byte[] src, int off, int len) {
      ensure(len);
      System.arraycopy(src, off, bytes, length, len);
      length += len;
    }

    /** Room for {@code more} bytes after {@link #length}. */
    void ensure(int more) {
      if (length + more > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }
  }
}

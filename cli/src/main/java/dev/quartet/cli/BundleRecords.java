package dev.quartet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * {@code events/records.bin}: one frame per event, back to back, nothing before or after. A frame
 * is, big-endian: partition (4 bytes), leaf index in that partition's log (8), the RFC 9162 leaf
 * hash SHA-256(0x00 ‖ record) (32), the record's length (4) and the record's exact bytes (as Kafka
 * holds them: the Merkle leaf data). The leaf hash is redundant — verify recomputes it — and is
 * there so that a damaged record is named even where a whole range of leaves is proven at once.
 */
final class BundleRecords {
  /** Bytes before a record: partition, leaf index, leaf hash, length. */
  static final int HEADER_BYTES = 4 + 8 + 32 + 4;
  /** The largest record a frame may hold: above Kafka's default 1 MiB message limit. */
  static final int MAX_RECORD_BYTES = 4 * 1024 * 1024;

  private BundleRecords() {}

  /** Writes one frame. */
  static void write(OutputStream out, int partition, long leafIndex, byte[] leafHash, byte[] record) throws IOException {
    if (leafHash.length != 32 || partition < 0 || leafIndex < 0 || record.length > MAX_RECORD_BYTES) {
      throw new IllegalArgumentException("not a frame: partition " + partition + ", leaf " + leafIndex + ", "
          + leafHash.length + "-byte leaf hash, " + record.length + "-byte record");
    }
    byte[] header = new byte[HEADER_BYTES];
    putInt(header, 0, partition);
    putLong(header, 4, leafIndex);
    System.arraycopy(leafHash, 0, header, 12, 32);
    putInt(header, 44, record.length);
    out.write(header);
    out.write(record);
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
   * Reads an untrusted entry front to back through one large buffer, hashing every byte read with
   * SHA-256 (the manifest lists the entry's hash) and refusing to read more than {@code maxBytes}.
   */
  static final class Reader {
    private final InputStream in;
    private final MessageDigest sha256;
    private final long maxBytes;
    private final byte[] buf = new byte[1 << 20];
    private int pos;
    private int end;
    private long total;
    private boolean eof;

    Reader(InputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform must provide SHA-256", e);
      }
    }

    /** Copies exactly {@code len} bytes into {@code dst}; false when the entry ends first (nothing consumed then counts). */
    boolean readFully(byte[] dst, int off, int len) throws IOException {
      while (len > 0) {
        if (pos == end && !fill()) {
          return false;
        }
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
        off += n;
        len -= n;
      }
      return true;
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

    /** SHA-256 of every byte read; only the whole entry's once {@link #atEnd()} said so. */
    byte[] sha256() {
      return sha256.digest();
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
      total += n;
      if (total > maxBytes) {
        throw new IllegalArgumentException("the entry inflates beyond " + maxBytes + " bytes");
      }
      sha256.update(buf, 0, n);
      pos = 0;
      end = n;
      return true;
    }

    private static int indexOf(byte[] b, int from, int to) {
      for (int i = from; i < to; i++) {
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

package dev.quartet.evidence.domain.merkle;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The incremental state of a Merkle tree of {@code size} leaves: the roots of its perfect
 * subtrees, one per set bit of {@code size}, largest (leftmost) first. Also called the frontier
 * or compact range [0, size) (transparency-dev/merkle compact). Immutable: {@link #append}
 * returns the next state in O(log n) hashes and {@link #root} costs O(log n) hashes, so a log
 * never rehashes its leaves; {@link #toBytes}/{@link #fromBytes} let a restart resume exactly.
 */
public final class CompactRange {
  /** First byte of the serialized form; bump it when the layout changes. */
  public static final byte FORMAT_VERSION = 1;
  private static final int HEADER_BYTES = 1 + Long.BYTES;
  private static final CompactRange EMPTY = new CompactRange(0, new byte[0][]);

  private final long size;
  private final byte[][] hashes;

  private CompactRange(long size, byte[][] hashes) {
    this.size = size;
    this.hashes = hashes;
  }

  /** The state of the empty tree. */
  public static CompactRange empty() {
    return EMPTY;
  }

  /** Number of leaves appended so far. */
  public long size() {
    return size;
  }

  /**
   * The state after appending one more leaf.
   *
   * @throws IllegalArgumentException unless {@code leafHash} is 32 bytes
   * @throws IllegalStateException when the tree already holds {@link Long#MAX_VALUE} leaves
   */
  public CompactRange append(byte[] leafHash) {
    byte[] h = NodeHash.requireHash(leafHash, "leaf hash " + size).clone();
    if (size == Long.MAX_VALUE) {
      throw new IllegalStateException("CompactRange: tree is full at " + size + " leaves");
    }
    // Adding 1 to size clears its trailing one-bits: each one is a perfect subtree of the same
    // height as the running hash, so they merge right to left like a binary carry.
    int merges = Long.numberOfTrailingZeros(~size);
    int kept = hashes.length - merges;
    for (int i = hashes.length - 1; i >= kept; i--) {
      h = NodeHash.of(hashes[i], h);
    }
    byte[][] next = Arrays.copyOf(hashes, kept + 1);
    next[kept] = h;
    return new CompactRange(size + 1, next);
  }

  /** RFC 9162 §2.1.1 Merkle Tree Hash of the leaves appended so far (empty-tree root at size 0). */
  public byte[] root() {
    return size == 0 ? NodeHash.emptyRoot() : MerkleRoot.foldRight(hashes, hashes.length);
  }

  /** Version byte, size as 8 big-endian bytes, then the 32-byte subtree roots, largest first. */
  public byte[] toBytes() {
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + hashes.length * NodeHash.BYTES);
    out.put(FORMAT_VERSION).putLong(size);
    for (byte[] h : hashes) {
      out.put(h);
    }
    return out.array();
  }

  /**
   * Restores the state written by {@link #toBytes}.
   *
   * @throws IllegalArgumentException when the version is unknown, the size is negative or the
   *     length does not match one 32-byte hash per set bit of the size
   */
  public static CompactRange fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < HEADER_BYTES) {
      throw new IllegalArgumentException("CompactRange: " + bytes.length + " bytes is shorter than the "
          + HEADER_BYTES + "-byte header");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte version = in.get();
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException("CompactRange: format version " + version + ", expected " + FORMAT_VERSION);
    }
    long size = in.getLong();
    if (size < 0) {
      throw new IllegalArgumentException("CompactRange: negative size " + size);
    }
    int count = Long.bitCount(size);
    int expected = HEADER_BYTES + count * NodeHash.BYTES;
    if (bytes.length != expected) {
      throw new IllegalArgumentException("CompactRange: size " + size + " needs " + count + " hashes ("
          + expected + " bytes), got " + bytes.length + " bytes");
    }
    byte[][] hashes = new byte[count][NodeHash.BYTES];
    for (byte[] h : hashes) {
      in.get(h);
    }
    return new CompactRange(size, hashes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CompactRange other && size == other.size && Arrays.deepEquals(hashes, other.hashes);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(size) + Arrays.deepHashCode(hashes);
  }

  @Override
  public String toString() {
    return "CompactRange[size=" + size + ", root=" + HexFormat.of().formatHex(root()) + "]";
  }
}

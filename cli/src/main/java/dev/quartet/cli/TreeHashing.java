package dev.quartet.cli;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 hashing without allocation, for verifying many leaves: leaf hashes SHA-256(0x00 ‖ data)
 * and the Merkle Tree Hash of a run of leaves recomputed in one pass (the same frontier of perfect
 * subtrees as {@link dev.quartet.evidence.domain.merkle.CompactRange}, in one flat array), giving
 * the root at every requested size on the way. Not thread-safe: one per thread.
 */
final class TreeHashing {
  static final int HASH = 32;
  private final MessageDigest sha256;
  private final byte[] frontier = new byte[Long.SIZE * HASH];
  private final byte[] scratch = new byte[HASH];
  private int top;
  private long size;

  TreeHashing() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  /** Writes the leaf hash of {@code data[from, to)} to {@code out[at, at + 32)}. */
  void leaf(byte[] data, int from, int to, byte[] out, int at) {
    sha256.update((byte) 0x00);
    sha256.update(data, from, to - from);
    digestInto(out, at);
  }

  /** Writes SHA-256(0x01 ‖ left ‖ right) to {@code out[at, at + 32)}; {@code out} may overlap either input. */
  void node(byte[] left, int l, byte[] right, int r, byte[] out, int at) {
    sha256.update((byte) 0x01);
    sha256.update(left, l, HASH);
    sha256.update(right, r, HASH);
    digestInto(out, at);
  }

  /** Starts a new tree. */
  void reset() {
    top = 0;
    size = 0;
  }

  /** Leaves appended since {@link #reset()}. */
  long size() {
    return size;
  }

  /** Appends the leaf whose hash is {@code hashes[at, at + 32)}. */
  void append(byte[] hashes, int at) {
    appendSubtree(hashes, at, 0);
  }

  /**
   * Appends a perfect subtree of {@code 2^height} leaves whose Merkle Tree Hash is {@code hashes[at, at + 32)},
   * as if its leaves were appended one by one. @throws IllegalStateException unless the size is a multiple of its width
   */
  void appendSubtree(byte[] hashes, int at, int height) {
    long width = 1L << height;
    if ((size & (width - 1)) != 0) {
      throw new IllegalStateException("a subtree of " + width + " leaves cannot follow " + size);
    }
    System.arraycopy(hashes, at, scratch, 0, HASH);
    // As in CompactRange: the trailing one-bits of size above the height are perfect subtrees as high as the new one; merge them.
    for (long n = size >>> height; (n & 1) == 1; n >>>= 1) {
      top--;
      node(frontier, top * HASH, scratch, 0, scratch, 0);
    }
    System.arraycopy(scratch, 0, frontier, top * HASH, HASH);
    top++;
    size += width;
  }

  /** The Merkle Tree Hash of the leaves appended so far (at least one), written to {@code out[at, at + 32)}. */
  void root(byte[] out, int at) {
    if (top == 0) {
      throw new IllegalStateException("the tree is empty");
    }
    System.arraycopy(frontier, (top - 1) * HASH, scratch, 0, HASH);
    for (int i = top - 2; i >= 0; i--) {
      node(frontier, i * HASH, scratch, 0, scratch, 0);
    }
    System.arraycopy(scratch, 0, out, at, HASH);
  }

  private void digestInto(byte[] out, int at) {
    try {
      sha256.digest(out, at, HASH);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest into " + out.length + " bytes at " + at, e);
    }
  }
}

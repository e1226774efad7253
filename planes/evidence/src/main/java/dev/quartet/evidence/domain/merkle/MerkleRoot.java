package dev.quartet.evidence.domain.merkle;

/**
 * Whole-tree hashing: the RFC 9162 §2.1.1 Merkle Tree Hash (MTH) of a run of leaf hashes,
 * for tests, proof generation and whole-tree verification. Reads each leaf once; O(n) hashes.
 */
public final class MerkleRoot {
  private MerkleRoot() {}

  /** MTH of leaves [0, size); the empty-tree root when {@code size} is 0. */
  public static byte[] of(LeafHashes leaves, long size) {
    return ofRange(leaves, 0, size);
  }

  /**
   * MTH of leaves [from, to) taken as a tree of their own (RFC 9162 writes it MTH(D[from:to])).
   *
   * @throws IllegalArgumentException unless 0 &lt;= from &lt;= to, or when a leaf hash is not 32 bytes
   */
  public static byte[] ofRange(LeafHashes leaves, long from, long to) {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("leaf range [" + from + ", " + to + ") is not a range");
    }
    if (from == to) {
      return NodeHash.emptyRoot();
    }
    // A stack of perfect subtrees, largest first: the same frontier CompactRange keeps, here
    // mutable because nothing outlives the loop. 64 levels cover every long size.
    byte[][] stack = new byte[Long.SIZE][];
    int top = 0;
    for (long i = from; i < to; i++) {
      byte[] h = NodeHash.requireHash(leaves.hash(i), "leaf hash " + i);
      for (long n = i - from; (n & 1) == 1; n >>>= 1) {
        h = NodeHash.of(stack[--top], h);
      }
      stack[top++] = h;
    }
    return foldRight(stack, top);
  }

  /**
   * RFC 9162 §2.1.1: with k the largest power of two below n, MTH(D[n]) = node(MTH(D[0:k]),
   * MTH(D[k:n])); over a frontier of perfect subtrees that is a right-to-left fold.
   */
  static byte[] foldRight(byte[][] frontier, int count) {
    byte[] acc = frontier[count - 1];
    for (int i = count - 2; i >= 0; i--) {
      acc = NodeHash.of(frontier[i], acc);
    }
    return acc.clone();
  }
}

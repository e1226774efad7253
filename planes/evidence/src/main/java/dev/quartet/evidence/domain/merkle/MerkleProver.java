package dev.quartet.evidence.domain.merkle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Generates RFC 9162 proofs from leaf hashes alone. Each proof hashes every leaf of the tree
 * once (O(n)): the subtrees it needs are disjoint and together cover the tree. A store that
 * keeps interior nodes can do better later; the proofs are the same.
 */
public final class MerkleProver {
  private MerkleProver() {}

  /**
   * RFC 9162 §2.1.3.1 PATH(index, D[0:size]), leaf upwards.
   *
   * @throws IllegalArgumentException unless 0 &lt;= index &lt; size, or when a leaf hash is not 32 bytes
   */
  public static InclusionProof inclusion(LeafHashes leaves, long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("inclusion proof: leaf index " + index + " is not in a tree of size " + size);
    }
    // Walk down from the root, keeping the sibling subtree at each split; RFC 9162 lists them
    // bottom-up, so reverse at the end.
    List<byte[]> topDown = new ArrayList<>();
    long lo = 0;
    long hi = size;
    while (hi - lo > 1) {
      long k = splitPoint(hi - lo);
      if (index - lo < k) {
        topDown.add(MerkleRoot.ofRange(leaves, lo + k, hi));
        hi = lo + k;
      } else {
        topDown.add(MerkleRoot.ofRange(leaves, lo, lo + k));
        lo += k;
      }
    }
    Collections.reverse(topDown);
    return new InclusionProof(index, size, topDown);
  }

  /**
   * RFC 9162 §2.1.4.1 PROOF(fromSize, D[0:toSize]) = SUBPROOF(fromSize, D[0:toSize], true); empty
   * when the sizes are equal.
   *
   * @throws IllegalArgumentException unless 0 &lt; fromSize &lt;= toSize, or when a leaf hash is not 32 bytes
   */
  public static ConsistencyProof consistency(LeafHashes leaves, long fromSize, long toSize) {
    if (fromSize <= 0 || toSize < fromSize) {
      throw new IllegalArgumentException("consistency proof: need 0 < fromSize <= toSize, got " + fromSize + ", " + toSize);
    }
    List<byte[]> topDown = new ArrayList<>();
    long lo = 0;
    long hi = toSize;
    long m = fromSize;
    // b in RFC 9162: true while the old tree's root is a node of the new tree's left spine, in
    // which case the verifier already holds it and it is left out.
    boolean oldRootKnown = true;
    while (m != hi - lo) {
      long k = splitPoint(hi - lo);
      if (m <= k) {
        topDown.add(MerkleRoot.ofRange(leaves, lo + k, hi));
        hi = lo + k;
      } else {
        topDown.add(MerkleRoot.ofRange(leaves, lo, lo + k));
        lo += k;
        m -= k;
        oldRootKnown = false;
      }
    }
    if (!oldRootKnown) {
      topDown.add(MerkleRoot.ofRange(leaves, lo, hi));
    }
    Collections.reverse(topDown);
    return new ConsistencyProof(fromSize, toSize, topDown);
  }

  /** RFC 9162 §2.1.1: k is the largest power of two smaller than n (n &gt;= 2). */
  private static long splitPoint(long n) {
    return Long.highestOneBit(n - 1);
  }
}

package dev.quartet.cli;

import dev.quartet.evidence.domain.merkle.NodeHash;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Merkle tree held in memory that keeps every perfect subtree's hash, so RFC 9162 inclusion
 * proofs for big synthetic bundles (tests, {@code quartet bench}) cost O(log² n) instead of the
 * production prover's O(n); checked against that prover in {@code BundleFixtureTest}.
 */
final class ProofTree {
  private final List<byte[][]> levels = new ArrayList<>();

  ProofTree(List<byte[]> leaves) {
    byte[][] level = leaves.toArray(new byte[0][]);
    levels.add(level);
    while (level.length > 1) {
      byte[][] up = new byte[level.length / 2][];
      for (int i = 0; i < up.length; i++) {
        up[i] = NodeHash.of(level[2 * i], level[2 * i + 1]);
      }
      levels.add(up);
      level = up;
    }
  }

  /** RFC 9162 §2.1.3.1 PATH(index, D[0:size]), leaf upwards. */
  List<byte[]> inclusion(long index, long size) {
    List<byte[]> topDown = new ArrayList<>();
    long lo = 0;
    long hi = size;
    while (hi - lo > 1) {
      long k = Long.highestOneBit(hi - lo - 1);
      if (index - lo < k) {
        topDown.add(root(lo + k, hi));
        hi = lo + k;
      } else {
        topDown.add(root(lo, lo + k));
        lo += k;
      }
    }
    Collections.reverse(topDown);
    return topDown;
  }

  /** MTH(D[from:to]) where from is aligned to the largest power of two below to - from, as RFC 9162's splits always are. */
  private byte[] root(long from, long to) {
    long n = to - from;
    if (Long.bitCount(n) == 1) {
      int level = Long.numberOfTrailingZeros(n);
      return levels.get(level)[(int) (from >> level)];
    }
    long k = Long.highestOneBit(n - 1);
    return NodeHash.of(root(from, from + k), root(from + k, to));
  }
}

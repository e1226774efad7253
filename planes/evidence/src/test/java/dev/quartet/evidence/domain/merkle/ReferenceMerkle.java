package dev.quartet.evidence.domain.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 §2.1 written as literally as possible (recursive MTH, PATH, SUBPROOF), to test the
 * iterative production code against: slow, obvious, independent.
 */
final class ReferenceMerkle {
  private ReferenceMerkle() {}

  static byte[] mth(List<byte[]> d, int lo, int hi) {
    int n = hi - lo;
    if (n == 0) {
      return NodeHash.emptyRoot();
    }
    if (n == 1) {
      return d.get(lo).clone();
    }
    int k = Integer.highestOneBit(n - 1);
    return NodeHash.of(mth(d, lo, lo + k), mth(d, lo + k, hi));
  }

  /** PATH(m, D[lo:hi]). */
  static List<byte[]> path(int m, List<byte[]> d, int lo, int hi) {
    int n = hi - lo;
    if (n == 1) {
      return new ArrayList<>();
    }
    int k = Integer.highestOneBit(n - 1);
    List<byte[]> out;
    if (m < k) {
      out = path(m, d, lo, lo + k);
      out.add(mth(d, lo + k, hi));
    } else {
      out = path(m - k, d, lo + k, hi);
      out.add(mth(d, lo, lo + k));
    }
    return out;
  }

  /** SUBPROOF(m, D[lo:hi], b). */
  static List<byte[]> subproof(int m, List<byte[]> d, int lo, int hi, boolean b) {
    int n = hi - lo;
    if (m == n) {
      List<byte[]> out = new ArrayList<>();
      if (!b) {
        out.add(mth(d, lo, hi));
      }
      return out;
    }
    int k = Integer.highestOneBit(n - 1);
    List<byte[]> out;
    if (m <= k) {
      out = subproof(m, d, lo, lo + k, b);
      out.add(mth(d, lo + k, hi));
    } else {
      out = subproof(m - k, d, lo + k, hi, false);
      out.add(mth(d, lo, lo + k));
    }
    return out;
  }
}

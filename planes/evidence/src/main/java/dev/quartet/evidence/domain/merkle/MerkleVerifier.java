package dev.quartet.evidence.domain.merkle;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Pure verification of RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs, after
 * transparency-dev/merkle proof/verify.go. Each function states its preconditions and reports
 * any violation, and any mismatch, as {@link Verification.Failed}: it never throws on bad input.
 *
 * <p>Both checks first derive the exact proof length from the sizes: a proof is split into
 * "inner" hashes (siblings below the point where the leaf's path and the tree's right border
 * meet) and "border" hashes (left siblings along the right border). A proof with extra or
 * missing hashes is rejected before any hashing.
 */
public final class MerkleVerifier {
  private MerkleVerifier() {}

  /**
   * Checks that {@code leafHash} is leaf {@code index} of the tree of {@code size} leaves whose
   * root is {@code root}. Preconditions: 0 &lt;= index &lt; size; leaf hash, root and every proof
   * hash are 32 bytes; the proof has exactly the length the index and size imply.
   */
  public static Verification verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
    if (index < 0 || index >= size) {
      return fail("index", "leaf index must be in [0, tree size); got index " + index + ", size " + size);
    }
    Verification bad = firstBad(leafHash, "leaf hash", root, "root", proof, "inclusion");
    if (bad != null) {
      return bad;
    }
    int inner = innerProofSize(index, size);
    int border = Long.bitCount(index >>> inner);
    if (proof.size() != inner + border) {
      return fail("proof length", "leaf " + index + " of " + size + " needs " + (inner + border)
          + " hashes, got " + proof.size());
    }
    byte[] h = chainInner(leafHash, proof.subList(0, inner), index);
    h = chainBorderRight(h, proof.subList(inner, proof.size()));
    return match("root", h, root);
  }

  /**
   * Checks that the tree of {@code size2} leaves with root {@code root2} extends the tree of
   * {@code size1} leaves with root {@code root1}. Preconditions: 0 &lt; size1 &lt;= size2 (a proof
   * from the empty tree proves nothing and is rejected, as transparency-dev/merkle does); roots
   * and every proof hash are 32 bytes; equal sizes take an empty proof and equal roots; otherwise
   * the proof has exactly the length the sizes imply.
   */
  public static Verification verifyConsistency(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2) {
    if (size1 <= 0 || size2 < size1) {
      return fail("sizes", "need 0 < size1 <= size2; got size1 " + size1 + ", size2 " + size2);
    }
    Verification bad = firstBad(root1, "root1", root2, "root2", proof, "consistency");
    if (bad != null) {
      return bad;
    }
    if (size1 == size2) {
      if (!proof.isEmpty()) {
        return fail("proof length", "equal sizes need 0 hashes, got " + proof.size());
      }
      return match("root2", root1, root2);
    }
    // The proof is the tail of the inclusion proof of leaf size1-1 in tree size2, cut below
    // level `shift`, where the old tree's rightmost perfect subtree (2^shift leaves) sits whole.
    int inner = innerProofSize(size1 - 1, size2);
    int border = Long.bitCount((size1 - 1) >>> inner);
    int shift = Long.numberOfTrailingZeros(size1);
    inner -= shift;
    // RFC 9162 §2.1.4.1: when size1 is a power of two, the old root is that subtree, so the proof
    // leaves it out and the verifier starts from root1.
    boolean startsFromRoot1 = size1 == 1L << shift;
    int want = (startsFromRoot1 ? 0 : 1) + inner + border;
    if (proof.size() != want) {
      return fail("proof length", "sizes " + size1 + " -> " + size2 + " need " + want + " hashes, got " + proof.size());
    }
    byte[] seed = startsFromRoot1 ? root1 : proof.get(0);
    List<byte[]> rest = proof.subList(startsFromRoot1 ? 0 : 1, proof.size());
    long mask = (size1 - 1) >>> shift;
    byte[] h1 = chainInnerRight(seed, rest.subList(0, inner), mask);
    h1 = chainBorderRight(h1, rest.subList(inner, rest.size()));
    Verification first = match("root1", h1, root1);
    if (!first.isVerified()) {
      return first;
    }
    byte[] h2 = chainInner(seed, rest.subList(0, inner), mask);
    h2 = chainBorderRight(h2, rest.subList(inner, rest.size()));
    return match("root2", h2, root2);
  }

  /** Number of proof hashes below the level where leaf {@code index}'s path meets the right border of a tree of {@code size}. */
  static int innerProofSize(long index, long size) {
    return Long.SIZE - Long.numberOfLeadingZeros(index ^ (size - 1));
  }

  // Bit i of the index says whether the node at level i is a right child (sibling on the left).
  private static byte[] chainInner(byte[] seed, List<byte[]> proof, long index) {
    byte[] h = seed;
    for (int i = 0; i < proof.size(); i++) {
      h = ((index >>> i) & 1) == 0 ? NodeHash.of(h, proof.get(i)) : NodeHash.of(proof.get(i), h);
    }
    return h;
  }

  // Only the left siblings: what the old, smaller tree also contains.
  private static byte[] chainInnerRight(byte[] seed, List<byte[]> proof, long index) {
    byte[] h = seed;
    for (int i = 0; i < proof.size(); i++) {
      if (((index >>> i) & 1) == 1) {
        h = NodeHash.of(proof.get(i), h);
      }
    }
    return h;
  }

  private static byte[] chainBorderRight(byte[] seed, List<byte[]> proof) {
    byte[] h = seed;
    for (byte[] p : proof) {
      h = NodeHash.of(p, h);
    }
    return h;
  }

  private static Verification firstBad(byte[] a, String aName, byte[] b, String bName, List<byte[]> proof, String proofName) {
    if (!NodeHash.isHash(a)) {
      return fail(aName, "expected " + NodeHash.BYTES + " bytes, got " + describe(a));
    }
    if (!NodeHash.isHash(b)) {
      return fail(bName, "expected " + NodeHash.BYTES + " bytes, got " + describe(b));
    }
    if (proof == null) {
      return fail("proof", "no proof given");
    }
    for (int i = 0; i < proof.size(); i++) {
      if (!NodeHash.isHash(proof.get(i))) {
        return fail(proofName + "[" + i + "]", "expected " + NodeHash.BYTES + " bytes, got " + describe(proof.get(i)));
      }
    }
    return null;
  }

  private static Verification match(String step, byte[] computed, byte[] expected) {
    if (Arrays.equals(computed, expected)) {
      return Verification.VERIFIED;
    }
    HexFormat hex = HexFormat.of();
    return fail(step, "expected " + hex.formatHex(expected) + ", proof yields " + hex.formatHex(computed));
  }

  private static String describe(byte[] b) {
    return b == null ? "null" : b.length + " bytes";
  }

  private static Verification fail(String step, String reason) {
    return new Verification.Failed(step, reason);
  }
}

package dev.quartet.evidence.domain.merkle;

import java.util.List;

/**
 * RFC 9162 §2.1.3 inclusion proof: the sibling hashes, leaf upwards, that link leaf
 * {@code leafIndex} to the root of the tree of {@code treeSize} leaves. The record holds any
 * shape it is given (it may come from an untrusted bundle); {@link #verify} decides.
 */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> hashes) {
  /** Copies {@code hashes}. @throws NullPointerException if the list or one of its hashes is null */
  public InclusionProof {
    hashes = ProofHashes.copy(hashes);
  }

  /** Generates the proof for leaf {@code index} of the first {@code size} leaves (see {@link MerkleProver#inclusion}). */
  public static InclusionProof of(LeafHashes leaves, long index, long size) {
    return MerkleProver.inclusion(leaves, index, size);
  }

  /** Checks this proof for {@code leafHash} against the tree root {@code root} (see {@link MerkleVerifier#verifyInclusion}). */
  public Verification verify(byte[] leafHash, byte[] root) {
    return MerkleVerifier.verifyInclusion(leafIndex, treeSize, leafHash, hashes, root);
  }

  /** Copies of the proof hashes. */
  @Override
  public List<byte[]> hashes() {
    return ProofHashes.copy(hashes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InclusionProof p && leafIndex == p.leafIndex && treeSize == p.treeSize
        && ProofHashes.equal(hashes, p.hashes);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(leafIndex) * 31 + Long.hashCode(treeSize)) * 31 + ProofHashes.hash(hashes);
  }

  @Override
  public String toString() {
    return "InclusionProof[leafIndex=" + leafIndex + ", treeSize=" + treeSize + ", hashes=" + ProofHashes.format(hashes) + "]";
  }
}

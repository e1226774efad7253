package dev.quartet.evidence.domain.merkle;

import java.util.List;

/**
 * RFC 9162 §2.1.4 consistency proof: the hashes showing that the tree of {@code toSize} leaves
 * extends the tree of {@code fromSize} leaves. The record holds any shape it is given (it may
 * come from an untrusted bundle); {@link #verify} decides.
 */
public record ConsistencyProof(long fromSize, long toSize, List<byte[]> hashes) {
  /** Copies {@code hashes}. @throws NullPointerException if the list or one of its hashes is null */
  public ConsistencyProof {
    hashes = ProofHashes.copy(hashes);
  }

  /** Generates the proof between the first {@code fromSize} and {@code toSize} leaves (see {@link MerkleProver#consistency}). */
  public static ConsistencyProof of(LeafHashes leaves, long fromSize, long toSize) {
    return MerkleProver.consistency(leaves, fromSize, toSize);
  }

  /** Checks this proof between the two roots (see {@link MerkleVerifier#verifyConsistency}). */
  public Verification verify(byte[] fromRoot, byte[] toRoot) {
    return MerkleVerifier.verifyConsistency(fromSize, toSize, hashes, fromRoot, toRoot);
  }

  /** Copies of the proof hashes. */
  @Override
  public List<byte[]> hashes() {
    return ProofHashes.copy(hashes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsistencyProof p && fromSize == p.fromSize && toSize == p.toSize
        && ProofHashes.equal(hashes, p.hashes);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(fromSize) * 31 + Long.hashCode(toSize)) * 31 + ProofHashes.hash(hashes);
  }

  @Override
  public String toString() {
    return "ConsistencyProof[fromSize=" + fromSize + ", toSize=" + toSize + ", hashes=" + ProofHashes.format(hashes) + "]";
  }
}

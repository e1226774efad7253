package dev.quartet.evidence.domain;

import dev.quartet.evidence.domain.merkle.ConsistencyProof;
import dev.quartet.evidence.domain.merkle.InclusionProof;
import dev.quartet.evidence.domain.merkle.NodeHash;
import dev.quartet.evidence.domain.merkle.Verification;
import dev.quartet.evidence.domain.note.Checkpoint;
import dev.quartet.evidence.domain.note.SignedNote;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A signed checkpoint of one evidence log partition: the C2SP tlog-checkpoint body (origin,
 * tree size, RFC 9162 SHA-256 root) and the exact signed-note text that carries it, so
 * witnesses and offline verifiers can check the very bytes that were published.
 */
public record EvidenceCheckpoint(String origin, long treeSize, byte[] rootHash, String signedNote) {
  /**
   * @throws IllegalArgumentException unless the root is 32 bytes, the size non-negative, and
   *     {@code signedNote} is a well-formed signed note whose text is the checkpoint of exactly
   *     this origin, size and root (signatures are checked by {@link CheckpointVerifier}, not here)
   */
  public EvidenceCheckpoint {
    Objects.requireNonNull(origin, "origin");
    NodeHash.requireHash(rootHash, "checkpoint root");
    rootHash = rootHash.clone();
    Checkpoint body = Checkpoint.parseFor(origin, SignedNote.parse(signedNote).text());
    if (body.treeSize() != treeSize || !Arrays.equals(body.rootHash(), rootHash)) {
      throw new IllegalArgumentException("EvidenceCheckpoint: note says size " + body.treeSize() + " root "
          + HexFormat.of().formatHex(body.rootHash()) + ", record says size " + treeSize + " root "
          + HexFormat.of().formatHex(rootHash));
    }
  }

  /** The checkpoint body the note carries. */
  public Checkpoint checkpoint() {
    return Checkpoint.parse(note().text());
  }

  /** The signed note, parsed. */
  public SignedNote note() {
    return SignedNote.parse(signedNote);
  }

  /** Checks that {@code leafHash} is in this checkpoint's tree; a proof made for another size fails at step "tree size". */
  public Verification verifyInclusion(InclusionProof proof, byte[] leafHash) {
    if (proof.treeSize() != treeSize) {
      return new Verification.Failed("tree size", "proof is for size " + proof.treeSize() + ", checkpoint has " + treeSize);
    }
    return proof.verify(leafHash, rootHash);
  }

  /** Checks that {@code newer} extends this checkpoint's tree (RFC 9162 §2.1.4); the proof's sizes must be this one's and newer's. */
  public Verification verifyConsistency(ConsistencyProof proof, EvidenceCheckpoint newer) {
    if (proof.fromSize() != treeSize || proof.toSize() != newer.treeSize) {
      return new Verification.Failed("tree size", "proof is for sizes " + proof.fromSize() + " -> " + proof.toSize()
          + ", checkpoints have " + treeSize + " -> " + newer.treeSize);
    }
    return proof.verify(rootHash, newer.rootHash);
  }

  /** A copy of the root hash. */
  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EvidenceCheckpoint c && origin.equals(c.origin) && treeSize == c.treeSize
        && Arrays.equals(rootHash, c.rootHash) && signedNote.equals(c.signedNote);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, treeSize, Arrays.hashCode(rootHash), signedNote);
  }

  @Override
  public String toString() {
    return "EvidenceCheckpoint[origin=" + origin + ", treeSize=" + treeSize + ", rootHash=" + HexFormat.of().formatHex(rootHash) + "]";
  }
}

package dev.quartet.evidence.domain;

import dev.quartet.evidence.domain.merkle.CompactRange;
import dev.quartet.evidence.domain.note.Checkpoint;
import dev.quartet.evidence.domain.note.NoteSigner;
import dev.quartet.evidence.domain.note.SignedNote;
import java.util.List;
import java.util.Objects;

/**
 * Signs the checkpoint of one evidence log: turns a tree state into a C2SP tlog-checkpoint body
 * signed as a C2SP signed note with the evidence key, so standard witnesses can cosign it.
 * Pure: no clock (checkpoints carry no time) and no I/O; Ed25519 is deterministic, so the same
 * state always gives the same note.
 */
public final class CheckpointSigner {
  private final String origin;
  private final NoteSigner signer;

  /**
   * @param origin the log's identity, first line of every checkpoint; C2SP tlog-checkpoint says the
   *     log's key name SHOULD equal it, which is not enforced here so keys can rotate independently
   * @throws IllegalArgumentException if the origin could not be a checkpoint line
   */
  public CheckpointSigner(String origin, NoteSigner signer) {
    this.signer = Objects.requireNonNull(signer, "signer");
    // Validates the origin as a checkpoint line once, up front, rather than at the first signing.
    new Checkpoint(origin, 0, new byte[] {0}, List.of());
    this.origin = origin;
  }

  /** The signed checkpoint of {@code state}: its size and root, no extension lines. */
  public EvidenceCheckpoint sign(CompactRange state) {
    byte[] root = state.root();
    String body = new Checkpoint(origin, state.size(), root, List.of()).body();
    SignedNote note = new SignedNote(body, List.of(signer.sign(body)));
    return new EvidenceCheckpoint(origin, state.size(), root, note.format());
  }
}

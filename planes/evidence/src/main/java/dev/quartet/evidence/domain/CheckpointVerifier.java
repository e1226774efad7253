package dev.quartet.evidence.domain;

import dev.quartet.evidence.domain.note.Checkpoint;
import dev.quartet.evidence.domain.note.MalformedNoteException;
import dev.quartet.evidence.domain.note.NoteVerification;
import dev.quartet.evidence.domain.note.NoteVerifiers;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Opens checkpoint notes published by one evidence log: signatures first (C2SP signed-note: the
 * text means nothing until a trusted signature over it verifies), then the body as a
 * tlog-checkpoint of the expected origin with a 32-byte root.
 */
public final class CheckpointVerifier {
  private final String origin;
  private final NoteVerifiers trusted;

  /** Trusts checkpoints of {@code origin} signed by any of {@code trusted}. */
  public CheckpointVerifier(String origin, NoteVerifiers trusted) {
    this.origin = Objects.requireNonNull(origin, "origin");
    this.trusted = Objects.requireNonNull(trusted, "trusted");
  }

  /** Verifies untrusted note bytes; never throws on bad input. */
  public CheckpointVerification verify(byte[] note) {
    NoteVerification opened = trusted.verify(note);
    if (opened instanceof NoteVerification.Failed f) {
      return new CheckpointVerification.Failed("note." + f.step(), f.reason());
    }
    NoteVerification.Verified v = (NoteVerification.Verified) opened;
    Checkpoint body;
    try {
      body = Checkpoint.parseFor(origin, v.note().text());
    } catch (MalformedNoteException e) {
      return new CheckpointVerification.Failed("checkpoint", e.getMessage());
    }
    return new CheckpointVerification.Verified(new EvidenceCheckpoint(origin, body.treeSize(), body.rootHash(),
        new String(note, StandardCharsets.UTF_8)));
  }
}

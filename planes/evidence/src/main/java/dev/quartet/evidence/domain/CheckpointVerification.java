package dev.quartet.evidence.domain;

import java.util.Objects;

/** The outcome of opening a published checkpoint note: an expected result, so a value, never an exception. */
public sealed interface CheckpointVerification permits CheckpointVerification.Verified, CheckpointVerification.Failed {

  /** True for {@link Verified}. */
  default boolean isVerified() {
    return this instanceof Verified;
  }

  /** A trusted key signed this checkpoint of the expected log. */
  record Verified(EvidenceCheckpoint at) implements CheckpointVerification {
    /** @throws NullPointerException if the checkpoint is missing */
    public Verified {
      Objects.requireNonNull(at, "at");
    }
  }

  /** Opening stopped at {@code step} (e.g. "note.parse", "note.signature[0]", "checkpoint") for {@code reason}. */
  record Failed(String step, String reason) implements CheckpointVerification {
    /** @throws NullPointerException if either part is missing */
    public Failed {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(reason, "reason");
    }
  }
}

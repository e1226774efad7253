package dev.quartet.evidence.domain.note;

import java.util.List;
import java.util.Objects;

/** The outcome of opening a signed note against known keys: an expected result, so a value, never an exception. */
public sealed interface NoteVerification permits NoteVerification.Verified, NoteVerification.Failed {

  /** True for {@link Verified}. */
  default boolean isVerified() {
    return this instanceof Verified;
  }

  /**
   * At least one known key signed and every known key's signature verified. {@code verified}
   * are those signatures (one per key); {@code unverified} the distinct signatures by unknown
   * keys, kept for a caller that wants, say, witness cosignatures it does not yet trust.
   */
  record Verified(SignedNote note, List<NoteSignature> verified, List<NoteSignature> unverified) implements NoteVerification {
    /** @throws IllegalArgumentException if no verified signature is given */
    public Verified {
      Objects.requireNonNull(note, "note");
      verified = List.copyOf(verified);
      unverified = List.copyOf(unverified);
      if (verified.isEmpty()) {
        throw new IllegalArgumentException("Verified: at least one verified signature");
      }
    }
  }

  /** Opening stopped at {@code step} ("parse", "signature[2]", "key", "signatures") for {@code reason}. */
  record Failed(String step, String reason) implements NoteVerification {
    /** @throws NullPointerException if either part is missing */
    public Failed {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(reason, "reason");
    }
  }
}

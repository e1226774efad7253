package dev.quartet.evidence.domain.merkle;

import java.util.Objects;

/** The outcome of checking a Merkle proof: a bad proof is an expected answer, so a value, never an exception. */
public sealed interface Verification permits Verification.Verified, Verification.Failed {

  /** The single {@link Verified} value. */
  Verified VERIFIED = new Verified();

  /** True for {@link Verified}. */
  default boolean isVerified() {
    return this instanceof Verified;
  }

  /** The proof checked out against the given root(s). */
  record Verified() implements Verification {}

  /**
   * The proof was rejected at {@code step} (e.g. "index", "proof length", "inclusion[3]",
   * "root1") for {@code reason}, which states what was expected and what was seen.
   */
  record Failed(String step, String reason) implements Verification {
    /** @throws NullPointerException if either part is missing */
    public Failed {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(reason, "reason");
    }
  }
}

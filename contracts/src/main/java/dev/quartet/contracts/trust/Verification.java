package dev.quartet.contracts.trust;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** The outcome of verifying signed trust material: an expected result, so a value, never an exception. */
public sealed interface Verification permits Verification.Verified, Verification.Failed {

  /** True for {@link Verified}. */
  default boolean isVerified() {
    return this instanceof Verified;
  }

  /** Enough distinct trusted keys signed; {@code signers} are the ones whose signatures were valid (sorted). */
  record Verified(Set<KeyId> signers) implements Verification {
    /** @throws IllegalArgumentException if no signer is given */
    public Verified {
      if (signers == null || signers.isEmpty()) {
        throw new IllegalArgumentException("Verified: at least one signer");
      }
      SortedSet<KeyId> sorted = new TreeSet<>(signers);
      signers = Collections.unmodifiableSortedSet(sorted);
    }
  }

  /** Verification stopped at {@code step} (e.g. "payloadType", "threshold", "version") for {@code reason}. */
  record Failed(String step, String reason) implements Verification {
    /** @throws NullPointerException if either part is missing */
    public Failed {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(reason, "reason");
    }
  }
}

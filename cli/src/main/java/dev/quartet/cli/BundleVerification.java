package dev.quartet.cli;

import java.util.Objects;

/** The outcome of verifying a bundle offline: a failed bundle is an expected answer, so a value. */
sealed interface BundleVerification permits BundleVerification.Verified, BundleVerification.Failed {

  /**
   * Everything verified: this many events proven against this many signed checkpoints ({@code provenByRange}
   * by recomputing a checkpoint's root from a complete range of leaves, {@code provenByProof} by their own
   * inclusion proof), linked by consistency proofs, with their config snapshots (or listed as missing)
   * under trust root {@code trustVersion}.
   */
  record Verified(int events, int provenByRange, int provenByProof, int checkpoints, int consistencyProofs,
                  int configSnapshots, int missingConfigSnapshots, int trustVersion) implements BundleVerification {}

  /** Verification stopped at the first failing {@code step} (e.g. "inclusion[3] (event 7f3c…)") for {@code reason}. */
  record Failed(String step, String reason) implements BundleVerification {
    public Failed {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(reason, "reason");
    }

    /** The one line verify prints. */
    public String line() {
      return ("verify failed at " + step + ": " + reason).replaceAll("[\\r\\n]+", " ");
    }
  }
}

package dev.quartet.execution.domain;

import dev.quartet.contracts.trust.TrustRoot;

import java.time.Duration;
import java.util.Objects;

/**
 * What a worker verifies against: its pinned trust root (whose self-signature the shell checked
 * at start), the clock skew it tolerates for issuedAt, and the largest envelope it reads.
 */
public record WorkerTrust(TrustRoot root, Duration maxClockSkew, int maxEnvelopeBytes) {
  /** @throws IllegalArgumentException if the skew is negative or the envelope bound below 1 */
  public WorkerTrust {
    Objects.requireNonNull(root, "WorkerTrust: root");
    if (maxClockSkew == null || maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("WorkerTrust: maxClockSkew must be zero or positive");
    }
    if (maxEnvelopeBytes < 1) {
      throw new IllegalArgumentException("WorkerTrust: maxEnvelopeBytes must be at least 1");
    }
  }
}

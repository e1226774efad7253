package dev.quartet.contracts.config;

import dev.quartet.contracts.trust.TrustRoot;

import java.time.Duration;
import java.util.Objects;

/**
 * What a follower of config verifies against: its pinned trust root (whose self-signature was
 * checked when it was loaded), the clock skew tolerated for issued-at, and the largest envelope read.
 */
public record ConfigTrust(TrustRoot root, Duration maxClockSkew, int maxEnvelopeBytes) {
  /** @throws IllegalArgumentException if the skew is negative or the envelope bound below 1 */
  public ConfigTrust {
    Objects.requireNonNull(root, "ConfigTrust: root");
    if (maxClockSkew == null || maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("ConfigTrust: maxClockSkew must be zero or positive");
    }
    if (maxEnvelopeBytes < 1) {
      throw new IllegalArgumentException("ConfigTrust: maxEnvelopeBytes must be at least 1");
    }
  }
}

package dev.quartet.execution.domain;

import java.time.Duration;
import java.util.Objects;

/** A snapshot's {@code body.degradedMode}: the policy and, for continue-cached, its bounded grace. */
public record DegradedMode(DegradedPolicy policy, Duration grace) {
  /** @throws IllegalArgumentException if continue-cached has no positive grace */
  public DegradedMode {
    Objects.requireNonNull(policy, "DegradedMode: policy");
    grace = grace == null ? Duration.ZERO : grace;
    if (grace.isNegative() || (policy == DegradedPolicy.CONTINUE_CACHED && grace.isZero())) {
      throw new IllegalArgumentException("continue-cached needs a positive grace");
    }
  }
}

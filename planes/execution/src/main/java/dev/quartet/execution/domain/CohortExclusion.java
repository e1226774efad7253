package dev.quartet.execution.domain;

import java.util.Objects;

/**
 * A verified version the worker does not apply because its staged rollout does not target it
 * ({@link RolloutTarget}). The worker stays on its applied version, keeps the excluded one as a
 * verified link of the chain, and reports the exclusion once (a ConfigRefused whose reason starts
 * with {@value #REASON}: the control plane counts it as outside the cohort, never as a NACK).
 */
public record CohortExclusion(long version, String digest, String detail) {
  /** Reason prefix of the report; the control plane's rollout tally matches on it. */
  public static final String REASON = "NOT_IN_COHORT";

  public CohortExclusion {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(detail, "detail");
  }

  /** The state after reporting this exclusion: the same version is not reported again. */
  public WorkerConfigState applyTo(WorkerConfigState s) {
    return s.withExclusionReported(version);
  }
}

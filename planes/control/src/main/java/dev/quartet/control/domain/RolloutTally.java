package dev.quartet.control.domain;

/**
 * What the workers of a scope reported on one version (its exact digest): ACKs, NACKs, and
 * reports that the version's rollout does not target them ({@code NOT_IN_COHORT}, not a NACK).
 */
public record RolloutTally(long applied, long refused, long notInCohort) {
  /** Reason prefix with which a worker reports that a version's rollout does not target it. */
  public static final String NOT_IN_COHORT = "NOT_IN_COHORT";

  public RolloutTally {
    if (applied < 0 || refused < 0 || notInCohort < 0) {
      throw new IllegalArgumentException("counts are never negative");
    }
  }

  /** Workers that applied or refused the version: the cohort as far as it has reported. */
  public long reported() {
    return applied + refused;
  }
}

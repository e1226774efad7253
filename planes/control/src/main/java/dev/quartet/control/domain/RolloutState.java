package dev.quartet.control.domain;

/** Where a version's staged rollout stands. */
public enum RolloutState {
  /** Baking: the cohort is applying it, no verdict yet. */
  IN_PROGRESS,
  /** The bake time passed with the NACK rate within its threshold: recorded as {@code rollout.completed}. */
  COMPLETED,
  /** The NACK rate passed its threshold: recorded as {@code rollout.halted}, with why. */
  HALTED
}

package dev.quartet.control.domain;

import java.util.Objects;

/** A rollout's state and, for a verdict, why: safe to show and to record as evidence. */
public record RolloutVerdict(RolloutState state, String reason) {
  public RolloutVerdict {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
  }

  /** Whether this is a final verdict (completed or halted). */
  public boolean decided() {
    return state != RolloutState.IN_PROGRESS;
  }
}

package dev.quartet.evidence.domain;

/** What to record about one plane instance's liveness. */
public sealed interface SilenceDecision {
  /** Silent past the bound with no gap recorded: record one, from its last sign of life. */
  record OpenGap(PlaneLivenessRow instance) implements SilenceDecision {}

  /** Heard from again after its gap was opened: close that gap. */
  record CloseGap(PlaneLivenessRow instance) implements SilenceDecision {}
}

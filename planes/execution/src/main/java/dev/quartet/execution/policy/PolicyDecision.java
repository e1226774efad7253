package dev.quartet.execution.policy;

/** The answer of {@link TaskPolicy#admit}: run it, park it for an approver, or refuse it naming the policy. */
public sealed interface PolicyDecision permits PolicyDecision.Allowed, PolicyDecision.NeedsApproval, PolicyDecision.Denied {
  /** The task may run with this registered tool. */
  record Allowed(ToolDefinition tool) implements PolicyDecision {}

  /** The task waits ({@code WAITING}) until an approver decides; {@code rule} names the approval rule. */
  record NeedsApproval(String rule) implements PolicyDecision {}

  /**
   * The task is refused.
   *
   * @param policy the policy that refused it, e.g. {@code tools}, {@code routes}, {@code quotas.tasksPerMinute}
   * @param reason a short reason without payload content
   */
  record Denied(String policy, String reason) implements PolicyDecision {}
}

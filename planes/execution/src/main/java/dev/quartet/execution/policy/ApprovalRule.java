package dev.quartet.execution.policy;

import dev.quartet.schemas.Classification;

/**
 * A task running {@code tool} with data classified {@code atOrAbove} or higher waits for an approver.
 *
 * @param name how evidence names the rule, e.g. {@code approvals[0]}
 */
public record ApprovalRule(String name, String tool, Classification atOrAbove) {
  /** True when a task with this tool and classification needs approval under this rule. */
  public boolean matches(String taskTool, Classification classification) {
    return tool.equals(taskTool) && TaskPolicy.rank(classification) >= TaskPolicy.rank(atOrAbove);
  }
}

package dev.quartet.execution.handler;

import dev.quartet.execution.policy.EgressPolicy;
import dev.quartet.execution.policy.ToolDefinition;

import java.util.Map;
import java.util.Objects;

/**
 * One attempt of one task, as a handler sees it.
 *
 * @param idempotencyKey sent with every external call so a server can drop a repeated side effect
 * @param tool the registered tool (process handlers run only its command)
 * @param params the task's parameters, e.g. {@code op=uppercase}
 * @param input the input payload bytes
 * @param egress the applied egress allowlist
 */
public record HandlerInvocation(String taskId, int attempt, String idempotencyKey, ToolDefinition tool,
                                Map<String, String> params, byte[] input, HandlerLimits limits, EgressPolicy egress) {
  /** @throws NullPointerException if a part is missing */
  public HandlerInvocation {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(egress, "egress");
    params = Map.copyOf(params);
    input = input.clone();
  }

  /** A copy of the input bytes. */
  @Override
  public byte[] input() {
    return input.clone();
  }

  /** The parameter {@code name}, or {@code fallback} when the task did not set it. */
  public String param(String name, String fallback) {
    return params.getOrDefault(name, fallback);
  }

  @Override
  public String toString() {
    // Params and input may carry secrets or personal data: ids only.
    return "HandlerInvocation[" + taskId + " attempt " + attempt + " tool " + tool.name() + "]";
  }
}

package dev.quartet.execution.handler;

import dev.quartet.execution.policy.EgressPolicy;
import dev.quartet.execution.policy.ToolDefinition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Handler invocations for tests. */
final class Invocations {
  static final HandlerLimits LIMITS = new HandlerLimits(Duration.ofSeconds(10), 1 << 20, Duration.ofSeconds(2), 3, 4096);

  private Invocations() {}

  static HandlerInvocation of(ToolDefinition tool, Map<String, String> params, byte[] input, HandlerLimits limits,
                              Set<String> egress) {
    return new HandlerInvocation("task-1", 1, "idem-123", tool, params, input, limits, new EgressPolicy(egress));
  }

  static HandlerInvocation transform(Map<String, String> params, String input) {
    return of(new ToolDefinition("transform", "transform", List.of()), params, utf8(input), LIMITS, Set.of());
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(HandlerOutput out) {
    return new String(out.bytes(), StandardCharsets.UTF_8);
  }

  static HandlerLimits limits(Duration timeout, long maxOutputBytes) {
    return new HandlerLimits(timeout, maxOutputBytes, Duration.ofSeconds(2), 3, 4096);
  }
}

package dev.quartet.execution.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One entry of the signed tool registry: a task may only run a tool listed here.
 *
 * @param name the tool name a task names as its type, e.g. {@code wc}
 * @param kind the handler kind that runs it: {@code transform}, {@code http}, {@code process}, or
 *     a custom handler's kind ({@code java} selects the custom handler named like the tool)
 * @param command argv of a {@code process} tool (never a shell line); empty for other kinds
 */
public record ToolDefinition(String name, String kind, List<String> command) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,63}");

  /** @throws IllegalArgumentException if the name or kind is malformed or a process tool has no command */
  public ToolDefinition {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name must match " + NAME);
    }
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("kind must match " + KIND);
    }
    command = List.copyOf(command);
    if ("process".equals(kind) && (command.isEmpty() || command.get(0).isBlank())) {
      throw new IllegalArgumentException("a process tool needs a non-empty command");
    }
  }
}

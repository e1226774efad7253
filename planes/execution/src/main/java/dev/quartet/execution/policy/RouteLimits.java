package dev.quartet.execution.policy;

import dev.quartet.schemas.Classification;

import java.util.Set;

/**
 * A data route of the applied config: which classifications it carries and its hard limits.
 *
 * @param maxInputBytes limit of one input payload (spec default 10 MiB)
 * @param maxTaskBytes limit of a task's inputs and outputs together (spec default 20 MiB)
 */
public record RouteLimits(String name, Set<Classification> classifications, long maxInputBytes, long maxTaskBytes) {
  /** Spec "Data": the default hard limit of an input. */
  public static final long DEFAULT_MAX_INPUT_BYTES = 10L << 20;
  /** Spec "Data": the default hard limit of a task's inputs plus outputs. */
  public static final long DEFAULT_MAX_TASK_BYTES = 20L << 20;

  /** @throws IllegalArgumentException if a limit is not positive */
  public RouteLimits {
    classifications = Set.copyOf(classifications);
    if (maxInputBytes < 1 || maxTaskBytes < 1) {
      throw new IllegalArgumentException("route limits must be positive");
    }
  }
}

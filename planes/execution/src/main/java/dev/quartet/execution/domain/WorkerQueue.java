package dev.quartet.execution.domain;

import dev.quartet.contracts.ConfigScope;

/** The queue a worker serves, {@code tenant/environment/queue}; its config scope is {@code tenant/environment}. */
public record WorkerQueue(ConfigScope scope, String name) {
  /** @throws IllegalArgumentException if the queue name is not a lowercase name of at most 63 characters */
  public WorkerQueue {
    if (scope == null) {
      throw new IllegalArgumentException("queue scope is required");
    }
    if (name == null || !ConfigScope.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("queue name must match " + ConfigScope.NAME + ", was " + name);
    }
  }

  /** Parses {@code tenant/environment/queue}. @throws IllegalArgumentException when malformed */
  public static WorkerQueue parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("queue is required (tenant/environment/queue)");
    }
    int last = text.lastIndexOf('/');
    if (last < 0 || text.chars().filter(c -> c == '/').count() != 2) {
      throw new IllegalArgumentException("queue must be tenant/environment/queue, was " + text);
    }
    return new WorkerQueue(ConfigScope.parse(text.substring(0, last)), text.substring(last + 1));
  }

  @Override
  public String toString() {
    return scope + "/" + name;
  }
}

package dev.quartet.execution.policy;

import dev.quartet.schemas.Classification;

import java.util.Objects;

/** What policy looks at when a task asks to run: its tool, its data classification and its tenant. */
public record TaskRequestFacts(String tool, Classification classification, String tenant) {
  /** @throws NullPointerException if a fact is missing */
  public TaskRequestFacts {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(classification, "classification");
    Objects.requireNonNull(tenant, "tenant");
  }
}

package dev.quartet.contracts;

import java.util.Locale;

/** The four separately deployable planes of Quartet; they meet only on Kafka topics. */
public enum Plane {
  /** Desired state: trust root, config versions, policies, rollout, worker registry. */
  CONTROL,
  /** Current work: workers, tasks, task leases, handlers. */
  EXECUTION,
  /** Payload movement: classification, routing, limits, encryption, quarantine. */
  DATA,
  /** The append-only, verifiable evidence log and its checkpoints. */
  EVIDENCE;

  /** Lowercase name used in commands, URLs, labels and evidence ({@code control}, …). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The plane with the given {@link #id()}.
   *
   * @throws IllegalArgumentException when no plane has that id
   */
  public static Plane fromId(String id) {
    for (Plane p : values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown plane '" + id + "', expected one of control, execution, data, evidence");
  }
}

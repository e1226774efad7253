package dev.quartet.control.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One heartbeat as read from Kafka, checked before it is stored. A light one carries state and task
 * count; a full one also capacity and the applied config (either may be absent before any is applied).
 */
public record WorkerBeat(String workerId, String state, int taskCount, boolean full, Integer capacity,
                         Long appliedConfigVersion, String appliedConfigDigest, Instant sentAt) {
  /** The states a worker reports (the Avro enum WorkerState). */
  public static final Set<String> STATES = Set.of("READY", "BUSY", "DRAINING", "DEGRADED", "STOPPING");

  /** @throws IllegalArgumentException when a field is malformed */
  public WorkerBeat {
    WorkerRegistration.requireWorkerId(workerId);
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException("unknown worker state " + state);
    }
    if (taskCount < 0 || (capacity != null && capacity < 0)) {
      throw new IllegalArgumentException("task count and capacity must not be negative");
    }
    if (appliedConfigDigest != null && !appliedConfigDigest.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("applied config digest must be 64 lowercase hex digits");
    }
    Objects.requireNonNull(sentAt, "sentAt");
  }
}

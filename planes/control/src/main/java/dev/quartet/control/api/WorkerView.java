package dev.quartet.control.api;

import dev.quartet.control.domain.LivenessBounds;
import dev.quartet.control.domain.WorkerSummary;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Map;

/**
 * A worker as the API shows it: a summary, never a payload. {@code state} is the worker's own
 * report while it is heard from, else STALE or LOST; {@code reportedState} is its last word.
 */
@Serdeable
public record WorkerView(String id, @Nullable String queue, Map<String, String> labels, @Nullable Integer capacity, String state,
                         @Nullable String reportedState, @Nullable Integer taskCount, @Nullable Long appliedConfigVersion,
                         @Nullable String appliedConfigDigest, @Nullable String registeredAt, @Nullable String lastHeartbeatAt,
                         String lastSeenAt) {
  static WorkerView of(WorkerSummary w, LivenessBounds bounds, Instant now) {
    return new WorkerView(w.id(), w.queue(), w.labels(), w.capacity(), w.stateAt(bounds, now), w.reportedState(), w.taskCount(),
        w.appliedConfigVersion(), w.appliedConfigDigest(), text(w.registeredAt()), text(w.lastHeartbeatAt()),
        w.lastSeenAt().toString());
  }

  static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}

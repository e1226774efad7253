package dev.quartet.control.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the control plane knows about one worker: summaries only, never payloads. Fields a worker
 * has not told yet (a heartbeat consumed before its registration) are null.
 *
 * @param reportedState the state of the newest heartbeat (READY, BUSY, DRAINING, DEGRADED, STOPPING)
 * @param lastHeartbeatAt the worker's clock when it sent its newest heartbeat
 * @param lastSeenAt the control plane's clock when it last consumed a registration or heartbeat
 */
public record WorkerSummary(String id, String queue, Map<String, String> labels, Integer capacity,
                            String reportedState, Integer taskCount, Long appliedConfigVersion, String appliedConfigDigest,
                            Instant registeredAt, Instant lastHeartbeatAt, Instant lastSeenAt) {
  /** Shown before the first heartbeat of a worker that is still within the stale bound. */
  public static final String REGISTERED = "REGISTERED";

  public WorkerSummary {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels == null ? Map.of() : labels));
  }

  /**
   * The state to show at {@code now}: the worker's own word while it is LIVE, otherwise STALE or LOST.
   */
  public String stateAt(LivenessBounds bounds, Instant now) {
    WorkerLiveness liveness = bounds.livenessAt(lastSeenAt, now);
    if (liveness != WorkerLiveness.LIVE) {
      return liveness.name();
    }
    return reportedState == null ? REGISTERED : reportedState;
  }
}

package dev.quartet.evidence.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * What the evidence plane knows of one plane instance's liveness.
 *
 * @param plane lowercase plane id
 * @param producerId the instance
 * @param lastSeenAt occurred-at of its latest heartbeat or stop
 * @param stopped whether its latest sign was an orderly stop
 * @param openGapId the silence gap recorded for it and not yet closed, or {@code null}
 * @param silentSince its last sign of life when that gap was opened, or {@code null}
 */
public record PlaneLivenessRow(String plane, String producerId, Instant lastSeenAt, boolean stopped,
                               String openGapId, Instant silentSince) {
  public PlaneLivenessRow {
    Objects.requireNonNull(plane, "PlaneLivenessRow: plane");
    Objects.requireNonNull(producerId, "PlaneLivenessRow: producerId");
    Objects.requireNonNull(lastSeenAt, "PlaneLivenessRow: lastSeenAt");
    if ((openGapId == null) != (silentSince == null)) {
      throw new IllegalArgumentException("PlaneLivenessRow: openGapId and silentSince go together");
    }
  }
}

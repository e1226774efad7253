package dev.quartet.control.api;

import dev.quartet.control.domain.ConfigHead;
import dev.quartet.control.domain.LivenessBounds;
import dev.quartet.control.domain.WorkerConfigStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One worker's standing on a scope's configuration: its newest ACK (applied version and digest,
 * when), its newest NACK (version and reason) and whether it runs the head. {@code state} is null
 * for a worker that reported but is not registered in one of the scope's queues.
 */
@Serdeable
public record WorkerConfigView(String id, @Nullable String queue, @Nullable String state, @Nullable Long appliedVersion,
                               @Nullable String appliedDigest, @Nullable String lastAckAt, @Nullable Long lastNackVersion,
                               @Nullable String lastNackReason, @Nullable String lastNackAt, boolean onHead) {
  static WorkerConfigView of(WorkerConfigStatus s, ConfigHead head, LivenessBounds bounds, Instant now) {
    var a = s.applied();
    var r = s.refused();
    var w = s.worker();
    return new WorkerConfigView(s.workerId(), w == null ? null : w.queue(), w == null ? null : w.stateAt(bounds, now),
        a == null ? null : a.version(), a == null ? null : a.digest(), a == null ? null : a.at().toString(),
        r == null ? null : r.version(), r == null ? null : r.reason(), r == null ? null : r.at().toString(), s.onHead(head));
  }
}

package dev.quartet.execution.api;

import dev.quartet.execution.store.TransitionRow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** One transition of a task, stamped with worker, attempt, lease epoch and config version + digest. */
@Serdeable
public record TransitionView(long seq, String taskId, @Nullable String from, String to, @Nullable String workerId,
                             int attempt, long leaseEpoch, long configVersion, String configDigest,
                             @Nullable String reason, @Nullable String outputRef, @Nullable String outputSha256,
                             boolean applied, String occurredAt) {
  /** The view of a recorded transition. */
  public static TransitionView of(TransitionRow r) {
    return new TransitionView(r.seq(), r.taskId(), r.from(), r.to(), r.workerId(), r.attempt(), r.leaseEpoch(),
        r.configVersion(), r.configDigest(), r.reason(), r.outputRef(), r.outputSha256(), r.applied(),
        r.occurredAt().toString());
  }
}

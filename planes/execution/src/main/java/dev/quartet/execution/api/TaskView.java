package dev.quartet.execution.api;

import dev.quartet.execution.store.TaskRow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A task as the API shows it: state, who holds it under which lease and config, and references only. */
@Serdeable
public record TaskView(String id, String state, @Nullable String tenant, @Nullable String queue, @Nullable String type,
                       @Nullable String classification, @Nullable Boolean evidenceRequired, @Nullable String idempotencyKey,
                       @Nullable String submittedBy, @Nullable String correlationId, @Nullable String replayOf,
                       @Nullable String labels, @Nullable String params, @Nullable String inputRef,
                       @Nullable String inputSha256, @Nullable Long inputSize, int attempt, long leaseEpoch,
                       @Nullable String workerId, @Nullable Long configVersion, @Nullable String configDigest,
                       @Nullable String reason, @Nullable String outputRef, @Nullable String outputSha256,
                       @Nullable Long outputSize, @Nullable String submittedAt, String updatedAt) {
  /** The view of a projected row. */
  public static TaskView of(TaskRow r) {
    return new TaskView(r.taskId(), r.state(), r.tenant(), r.queue(), r.type(), r.classification(), r.evidenceRequired(),
        r.idempotencyKey(), r.submittedBy(), r.correlationId(), r.replayOf(), r.labels(), r.params(), r.inputRef(),
        r.inputSha256(), r.inputSize(), r.attempt(), r.leaseEpoch(), r.workerId(), r.configVersion(), r.configDigest(),
        r.reason(), r.outputRef(), r.outputSha256(), r.outputSize(),
        r.submittedAt() == null ? null : r.submittedAt().toString(), r.updatedAt().toString());
  }
}

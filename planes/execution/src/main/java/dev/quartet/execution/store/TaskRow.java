package dev.quartet.execution.store;

import java.time.Instant;

/** One task as projected from the task topics; never payload content, only references. */
public record TaskRow(String taskId, String tenant, String queue, String type, String classification,
                      Boolean evidenceRequired, String idempotencyKey, String submittedBy, String correlationId,
                      String replayOf, String labels, String params, String inputRef, String inputSha256, Long inputSize,
                      String state, int attempt, long leaseEpoch, String workerId, Long configVersion,
                      String configDigest, String reason, String outputRef, String outputSha256, Long outputSize,
                      Instant submittedAt, Instant updatedAt) {}

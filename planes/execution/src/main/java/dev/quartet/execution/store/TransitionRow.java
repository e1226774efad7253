package dev.quartet.execution.store;

import java.time.Instant;

/**
 * One recorded transition of a task. {@code applied} is false when the projection kept the task's
 * state (e.g. a late transition after a terminal one): it stays visible, it just changed nothing.
 */
public record TransitionRow(long seq, String taskId, String from, String to, String workerId, int attempt,
                            long leaseEpoch, long configVersion, String configDigest, String reason, String outputRef,
                            String outputSha256, boolean applied, Instant occurredAt) {}

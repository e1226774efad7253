package dev.quartet.execution.task;

import dev.quartet.execution.domain.WorkerQueue;
import dev.quartet.runtime.BuildInfo;
import dev.quartet.schemas.Approval;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.PayloadRef;
import dev.quartet.schemas.Plane;
import dev.quartet.schemas.TaskState;
import dev.quartet.schemas.TaskStateChanged;
import dev.quartet.schemas.TaskSubmitted;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the records a task transition writes: the {@link TaskStateChanged} on the events topic and
 * its evidence event. Both the API and the workers use it, so every transition is stamped alike.
 */
public final class TaskEvents {
  /** Config version stamped by an actor that applies no config (the API accepting a submission). */
  public static final long NO_CONFIG_VERSION = 0;

  private TaskEvents() {}

  /** The record key of every task record: the task id, so one task's records stay in order on one partition. */
  public static byte[] key(String taskId) {
    return taskId.getBytes(StandardCharsets.UTF_8);
  }

  /** The tenant of {@code queue} ({@code tenant/environment/queue}). */
  public static String tenantOf(String queue) {
    return WorkerQueue.parse(queue).scope().tenant();
  }

  /** The correlation id of a task's evidence: the submitter's, else the task id. */
  public static String correlationOf(TaskSubmitted task) {
    return task.getCorrelationId() == null ? task.getTaskId() : task.getCorrelationId();
  }

  /** A transition stamped with who made it, under which lease and config. */
  public static TaskStateChanged transition(Stamp stamp, String taskId, TaskState from, TaskState to, String reason,
                                            PayloadRef output) {
    return TaskStateChanged.newBuilder()
        .setTaskId(taskId)
        .setFrom(from)
        .setTo(to)
        .setWorkerId(stamp.workerId())
        .setAttempt(stamp.attempt())
        .setLeaseEpoch(stamp.leaseEpoch())
        .setConfigVersion(stamp.configVersion())
        .setConfigDigest(stamp.configDigest())
        .setReason(reason)
        .setOutputRef(output)
        .setOccurredAt(stamp.at())
        .build();
  }

  /**
   * The evidence event of a transition: type {@code task.<state>} unless given, never payload
   * content — only the input/output digests and the config that governed it.
   */
  public static EvidenceEvent evidence(TaskSubmitted task, Stamp stamp, String type, String outcome, String policy,
                                       Map<String, String> attributes, PayloadRef output) {
    Map<String, String> artifacts = new HashMap<>();
    artifacts.put("input", task.getInputRef().getSha256());
    if (output != null) {
      artifacts.put("output", output.getSha256());
    }
    if (!stamp.configDigest().isEmpty()) {
      artifacts.put("config", stamp.configDigest());
    }
    Map<String, String> attrs = new HashMap<>(attributes);
    attrs.put("task", task.getTaskId());
    attrs.put("tool", task.getType());
    attrs.put("queue", task.getQueue());
    attrs.put("attempt", Integer.toString(stamp.attempt()));
    attrs.put("leaseEpoch", Long.toString(stamp.leaseEpoch()));
    attrs.put("classification", task.getClassification().name());
    attrs.put("evidenceRequired", Boolean.toString(task.getEvidenceRequired()));
    if (stamp.workerId() != null) {
      attrs.put("worker", stamp.workerId());
    }
    if (task.getReplayOf() != null) {
      attrs.put("replayOf", task.getReplayOf());
    }
    List<Approval> approvals = task.getApprovals() == null ? List.of() : task.getApprovals();
    return EvidenceEvent.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setType(type)
        .setTenant(tenantOf(task.getQueue()))
        .setCorrelationId(correlationOf(task))
        .setExecutionId(task.getTaskId())
        .setConfigVersion(stamp.configVersion() == NO_CONFIG_VERSION ? null : stamp.configVersion())
        .setConfigDigest(stamp.configDigest().isEmpty() ? null : stamp.configDigest())
        .setRoute(task.getParams().getOrDefault("route", null))
        .setPolicy(policy)
        .setApprovals(approvals)
        .setArtifactDigests(artifacts)
        .setOutcome(outcome)
        .setOccurredAt(stamp.at())
        .setProducerPlane(Plane.EXECUTION)
        .setProducerVersion(BuildInfo.version())
        .setAttributes(attrs)
        .build();
  }

  /** The default evidence type of a transition to {@code to}. */
  public static String typeOf(TaskState to) {
    return "task." + to.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Who made a transition and under what: worker (null for the API), attempt, lease epoch (the
   * consumer group generation that held the task), config version and digest, and when.
   */
  public record Stamp(String workerId, int attempt, long leaseEpoch, long configVersion, String configDigest, Instant at) {
    /** A stamp of the API, which holds no lease and applies no config. */
    public static Stamp api(int attempt, Instant at) {
      return new Stamp(null, attempt, 0, NO_CONFIG_VERSION, "", at);
    }
  }
}

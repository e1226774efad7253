package dev.quartet.execution.api;

import dev.quartet.contracts.ProblemType;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.execution.config.TaskApiSettings;
import dev.quartet.execution.domain.TaskLifecycle;
import dev.quartet.execution.domain.WorkerIdentity;
import dev.quartet.execution.domain.WorkerQueue;
import dev.quartet.execution.store.TaskRow;
import dev.quartet.execution.store.TaskStore;
import dev.quartet.execution.store.TransitionRow;
import dev.quartet.execution.task.TaskEvents;
import dev.quartet.execution.task.TaskEvents.Stamp;
import dev.quartet.execution.task.TaskLog;
import dev.quartet.runtime.ProblemException;
import dev.quartet.runtime.Roles;
import dev.quartet.schemas.Approval;
import dev.quartet.schemas.Classification;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.PayloadRef;
import dev.quartet.schemas.TaskCancelRequested;
import dev.quartet.schemas.TaskState;
import dev.quartet.schemas.TaskStateChanged;
import dev.quartet.schemas.TaskSubmitted;
import dev.quartet.schemas.UndecodableEventException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * Tasks: submit (idempotent per tenant and key), read, list, watch, cancel, approve and reject.
 * Every write goes to the task topics with its evidence in one Kafka transaction; reads come from
 * the PostgreSQL projection of those topics.
 */
@Controller("/v1/tasks")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class TaskController {
  private static final Pattern TOOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
  private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern REF = Pattern.compile("quartet:payload/[A-Za-z0-9._-]{1,128}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final int MAX_PARAM_VALUE = 4096;

  private final TaskStore store;
  private final TaskLog log;
  private final TaskApiSettings settings;
  private final EventCodec codec = EventCodec.standard();
  private final Clock clock = Clock.systemUTC();

  TaskController(TaskStore store, TaskLog log, TaskApiSettings settings) {
    this.store = store;
    this.log = log;
    this.settings = settings;
  }

  /** Accepts a task; a retried submit with the same idempotency key answers the same task (200) instead of a new one (201). */
  @Post(consumes = MediaType.APPLICATION_JSON)
  public HttpResponse<TaskView> submit(Authentication who, @Body SubmitTaskRequest request) {
    requireAnyRole(who, Roles.SUBMITTER, Roles.ADMIN);
    WorkerQueue queue = parseQueue(request.queue());
    String tenant = queue.scope().tenant();
    requireTenant(who, tenant);
    TaskSubmitted task = validated(request, queue, who.getName());
    if (request.idempotencyKey() != null) {
      Optional<TaskRow> existing = store.findByIdempotencyKey(tenant, request.idempotencyKey());
      if (existing.isPresent()) {
        return HttpResponse.ok(TaskView.of(existing.get()));
      }
    }
    byte[] encoded = codec.encode(task);
    if (!store.recordSubmission(task, tenant, encoded)) {
      // Another submit with this key won the race: answer its task.
      return HttpResponse.ok(TaskView.of(store.findByIdempotencyKey(tenant, task.getIdempotencyKey()).orElseThrow(
          () -> new ProblemException(ProblemType.CONFLICT, "idempotency key in use by a task being submitted; retry"))));
    }
    Stamp stamp = Stamp.api(1, task.getSubmittedAt());
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    records.add(new ProducerRecord<>(TopicCatalog.TASK_SUBMISSIONS, TaskEvents.key(task.getTaskId()), encoded));
    records.add(transitionRecord(TaskEvents.transition(stamp, task.getTaskId(), null, TaskState.PENDING, null, null)));
    records.add(evidenceRecord(TaskEvents.evidence(task, stamp, "task.submitted", "accepted", null,
        Map.of("submittedBy", who.getName()), null)));
    try {
      log.append(records);
    } catch (TaskLog.TaskLogUnavailable e) {
      store.forgetSubmission(task.getTaskId());
      throw new ProblemException(ProblemType.UNAVAILABLE, "the task was not accepted (" + e.getMessage() + "); retry with the same idempotency key");
    }
    return HttpResponse.created(TaskView.of(store.find(task.getTaskId()).orElseThrow()));
  }

  /** One task. */
  @Get("/{id}")
  public TaskView get(Authentication who, @PathVariable String id) {
    return TaskView.of(visible(who, id));
  }

  /** Tasks the caller may see, newest first; {@code before} pages (the last row's {@code updatedAt}). */
  @Get("{?queue,state,before,limit}")
  public List<TaskView> list(Authentication who, @Nullable @QueryValue String queue, @Nullable @QueryValue String state,
                             @Nullable @QueryValue String before, @Nullable @QueryValue Integer limit) {
    String tenant = tenantOf(who);
    if (queue != null) {
      requireTenant(who, parseQueue(queue).scope().tenant());
    }
    if (state != null) {
      try {
        TaskState.valueOf(state);
      } catch (IllegalArgumentException e) {
        throw new ProblemException(ProblemType.VALIDATION, "state must be one of " + List.of(TaskState.values()));
      }
    }
    Instant beforeAt = null;
    if (before != null) {
      try {
        beforeAt = Instant.parse(before);
      } catch (RuntimeException e) {
        throw new ProblemException(ProblemType.VALIDATION, "before must be an ISO-8601 instant");
      }
    }
    int size = limit == null ? settings.maxPageSize() : Math.max(1, Math.min(limit, settings.maxPageSize()));
    return store.list(tenant, queue, state, beforeAt, size).stream().map(TaskView::of).toList();
  }

  /** Every transition of a task, oldest first. */
  @Get("/{id}/transitions")
  public List<TransitionView> transitions(Authentication who, @PathVariable String id) {
    visible(who, id);
    return store.transitions(id, 0, 10_000).stream().map(TransitionView::of).toList();
  }

  /**
   * Streams a task's transitions (server-sent events) from the first, ending after the terminal
   * one or after {@code watch-max-duration}, whichever comes first.
   */
  @Get(value = "/{id}/watch", produces = MediaType.TEXT_EVENT_STREAM)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public Publisher<Event<TransitionView>> watch(Authentication who, @PathVariable String id) {
    visible(who, id);
    Instant deadline = clock.instant().plus(settings.watchMaxDuration());
    long[] last = {0};
    boolean[] done = {false};
    return Flux.interval(Duration.ZERO, settings.watchInterval())
        .takeWhile(tick -> !done[0] && clock.instant().isBefore(deadline))
        .concatMapIterable(tick -> {
          List<TransitionRow> rows = store.transitions(id, last[0], 500);
          List<Event<TransitionView>> events = new ArrayList<>();
          for (TransitionRow r : rows) {
            last[0] = r.seq();
            events.add(Event.of(TransitionView.of(r)).id(Long.toString(r.seq())).name("transition"));
            if (r.applied() && TaskLifecycle.isTerminal(TaskState.valueOf(r.to()))) {
              done[0] = true;
            }
          }
          return events;
        });
  }

  /**
   * Asks to cancel a task. A task no worker holds (PENDING, WAITING) is CANCELLED at once; a running
   * one is interrupted by the worker holding it, which records CANCELLED.
   */
  @Post("/{id}/cancel")
  public HttpResponse<TaskView> cancel(Authentication who, @PathVariable String id, @Nullable @Body DecisionRequest body) {
    requireAnyRole(who, Roles.SUBMITTER, Roles.ADMIN);
    TaskRow row = visible(who, id);
    TaskState state = TaskState.valueOf(row.state());
    if (TaskLifecycle.isTerminal(state)) {
      throw new ProblemException(ProblemType.CONFLICT, "task " + id + " already ended " + state);
    }
    String reason = body == null ? null : body.reason();
    Instant now = clock.instant();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    records.add(new ProducerRecord<>(TopicCatalog.TASK_COMMANDS, TaskEvents.key(id), codec.encode(TaskCancelRequested.newBuilder()
        .setTaskId(id).setRequestedBy(who.getName()).setReason(reason).setRequestedAt(now).build())));
    TaskSubmitted task = submission(id);
    Stamp stamp = Stamp.api(row.attempt(), now);
    if (state == TaskState.PENDING || state == TaskState.WAITING) {
      String why = "cancelled by " + who.getName() + (reason == null ? "" : ": " + reason);
      records.add(transitionRecord(TaskEvents.transition(stamp, id, state, TaskState.CANCELLED, why, null)));
      records.add(evidenceRecord(TaskEvents.evidence(task, stamp, TaskEvents.typeOf(TaskState.CANCELLED), "cancelled", null,
          Map.of("requestedBy", who.getName()), null)));
    } else {
      records.add(evidenceRecord(TaskEvents.evidence(task, stamp, "task.cancel-requested", "requested", null,
          Map.of("requestedBy", who.getName()), null)));
    }
    append(records);
    return HttpResponse.accepted().body(TaskView.of(row));
  }

  /**
   * Re-runs a recorded execution as a new task linked by {@code replayOf}: the same input
   * references and parameters, under the recorded config version unless {@code currentConfig}.
   * Approvals are not carried over: the policy in force decides again.
   */
  @Post("/{id}/replay")
  public HttpResponse<TaskView> replay(Authentication who, @PathVariable String id, @Nullable @Body ReplayRequest body) {
    requireAnyRole(who, Roles.SUBMITTER, Roles.ADMIN);
    TaskRow recorded = visible(who, id);
    if (!TaskLifecycle.isTerminal(TaskState.valueOf(recorded.state()))) {
      throw new ProblemException(ProblemType.CONFLICT, "task " + id + " is " + recorded.state() + "; only an ended task can be replayed");
    }
    boolean current = body != null && Boolean.TRUE.equals(body.currentConfig());
    if (!current && (recorded.configVersion() == null || recorded.configVersion() == TaskEvents.NO_CONFIG_VERSION)) {
      throw new ProblemException(ProblemType.CONFLICT, "task " + id + " never ran under a config; replay it with the current config");
    }
    TaskSubmitted original = submission(id);
    String taskId = UUID.randomUUID().toString();
    TaskSubmitted task = TaskSubmitted.newBuilder(original)
        .setTaskId(taskId)
        .setIdempotencyKey(taskId)
        .setSubmittedBy(who.getName())
        .setSubmittedAt(clock.instant())
        .setReplayOf(id)
        .setAttempt(1)
        .setNotBefore(null)
        .setApprovals(List.of())
        .setPinnedConfigVersion(current ? null : recorded.configVersion())
        .build();
    byte[] encoded = codec.encode(task);
    store.recordSubmission(task, recorded.tenant(), encoded);
    Stamp stamp = Stamp.api(1, task.getSubmittedAt());
    Map<String, String> attributes = new HashMap<>();
    attributes.put("submittedBy", who.getName());
    attributes.put("configChoice", current ? "current" : "recorded v" + recorded.configVersion());
    try {
      log.append(List.of(
          new ProducerRecord<>(TopicCatalog.TASK_SUBMISSIONS, TaskEvents.key(taskId), encoded),
          transitionRecord(TaskEvents.transition(stamp, taskId, null, TaskState.PENDING, "replay of " + id, null)),
          evidenceRecord(TaskEvents.evidence(task, stamp, "task.replay-submitted", "accepted", null, attributes, null))));
    } catch (TaskLog.TaskLogUnavailable e) {
      store.forgetSubmission(taskId);
      throw new ProblemException(ProblemType.UNAVAILABLE, "the replay was not accepted (" + e.getMessage() + "); retry");
    }
    return HttpResponse.created(TaskView.of(store.find(taskId).orElseThrow()));
  }

  /** Approves a WAITING task; the approver may not be its submitter. */
  @Post("/{id}/approve")
  public HttpResponse<TaskView> approve(Authentication who, @PathVariable String id, @Nullable @Body DecisionRequest body) {
    return decide(who, id, true, body == null ? null : body.reason());
  }

  /** Rejects a WAITING task (it ends FAILED); the approver may not be its submitter. */
  @Post("/{id}/reject")
  public HttpResponse<TaskView> reject(Authentication who, @PathVariable String id, @Nullable @Body DecisionRequest body) {
    return decide(who, id, false, body == null ? null : body.reason());
  }

  private HttpResponse<TaskView> decide(Authentication who, String id, boolean approved, String reason) {
    requireAnyRole(who, Roles.APPROVER);
    TaskRow row = visible(who, id);
    if (who.getName().equals(row.submittedBy())) {
      throw new ProblemException(ProblemType.FORBIDDEN, "the submitter of task " + id + " may not approve or reject it");
    }
    if (!TaskState.WAITING.name().equals(row.state())) {
      throw new ProblemException(ProblemType.CONFLICT, "task " + id + " is " + row.state() + ", not WAITING for approval");
    }
    TaskSubmitted task = submission(id);
    Instant now = clock.instant();
    Approval decision = Approval.newBuilder().setApprover(who.getName()).setApproved(approved).setDecidedAt(now).build();
    List<Approval> approvals = new ArrayList<>(task.getApprovals());
    approvals.add(decision);
    TaskSubmitted decided = TaskSubmitted.newBuilder(task).setApprovals(approvals).setAttempt(row.attempt()).build();
    Stamp stamp = Stamp.api(row.attempt(), now);
    String why = (approved ? "approved by " : "rejected by ") + who.getName() + (reason == null ? "" : ": " + reason);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    if (approved) {
      // Back on the queue with the approval attached; the worker that takes it sees the approval.
      records.add(new ProducerRecord<>(TopicCatalog.TASK_SUBMISSIONS, TaskEvents.key(id), codec.encode(decided)));
      records.add(transitionRecord(TaskEvents.transition(stamp, id, TaskState.WAITING, TaskState.PENDING, why, null)));
    } else {
      records.add(transitionRecord(TaskEvents.transition(stamp, id, TaskState.WAITING, TaskState.FAILED, why, null)));
    }
    records.add(evidenceRecord(TaskEvents.evidence(decided, stamp, approved ? "task.approved" : "task.rejected",
        approved ? "approved" : "rejected", "approvals", Map.of("approver", who.getName()), null)));
    append(records);
    return HttpResponse.ok(TaskView.of(row));
  }

  private void append(List<ProducerRecord<byte[], byte[]>> records) {
    try {
      log.append(records);
    } catch (TaskLog.TaskLogUnavailable e) {
      throw new ProblemException(ProblemType.UNAVAILABLE, e.getMessage() + "; nothing was changed, retry");
    }
  }

  private TaskSubmitted submission(String id) {
    byte[] bytes = store.submission(id).orElseThrow(() -> new ProblemException(ProblemType.UNAVAILABLE,
        "task " + id + " is not fully projected yet; retry"));
    try {
      return codec.decode(bytes, TaskSubmitted.class);
    } catch (UndecodableEventException e) {
      throw new ProblemException(ProblemType.INTERNAL, "the stored submission of task " + id + " does not decode");
    }
  }

  private TaskRow visible(Authentication who, String id) {
    TaskRow row = store.find(id).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no task " + id));
    String tenant = tenantOf(who);
    if (!"*".equals(tenant) && !tenant.equals(row.tenant())) {
      throw new ProblemException(ProblemType.NOT_FOUND, "no task " + id);  // never reveal another tenant's task
    }
    return row;
  }

  private TaskSubmitted validated(SubmitTaskRequest r, WorkerQueue queue, String submitter) {
    if (r.type() == null || !TOOL.matcher(r.type()).matches()) {
      throw new ProblemException(ProblemType.VALIDATION, "type: must name a tool of the registry (" + TOOL + ")");
    }
    if (r.idempotencyKey() != null && !KEY.matcher(r.idempotencyKey()).matches()) {
      throw new ProblemException(ProblemType.VALIDATION, "idempotencyKey: 1 to 200 printable ASCII characters");
    }
    if (r.correlationId() != null && !KEY.matcher(r.correlationId()).matches()) {
      throw new ProblemException(ProblemType.VALIDATION, "correlationId: 1 to 200 printable ASCII characters");
    }
    Classification classification = classification(r.classification(), "classification");
    SubmitTaskRequest.InputRef in = r.input();
    if (in == null || in.ref() == null || !REF.matcher(in.ref()).matches()) {
      throw new ProblemException(ProblemType.VALIDATION, "input.ref: a payload reference quartet:payload/<id> is required");
    }
    if (in.sha256() == null || !SHA256.matcher(in.sha256()).matches()) {
      throw new ProblemException(ProblemType.VALIDATION, "input.sha256: 64 lowercase hex digits");
    }
    if (in.size() == null || in.size() < 0) {
      throw new ProblemException(ProblemType.VALIDATION, "input.size: the payload size in bytes");
    }
    Classification inputClass = in.classification() == null ? classification : classification(in.classification(), "input.classification");
    if (inputClass.ordinal() > classification.ordinal()) {
      throw new ProblemException(ProblemType.VALIDATION, "classification: the task is " + classification
          + " but its input is " + inputClass + "; a task may not lower its data's classification");
    }
    Map<String, String> params = r.params() == null ? Map.of() : r.params();
    if (params.size() > settings.maxParams()) {
      throw new ProblemException(ProblemType.VALIDATION, "params: at most " + settings.maxParams() + " parameters");
    }
    params.forEach((k, v) -> {
      if (!PARAM_NAME.matcher(k).matches() || v == null || v.length() > MAX_PARAM_VALUE) {
        throw new ProblemException(ProblemType.VALIDATION, "params." + k + ": names are " + PARAM_NAME
            + ", values at most " + MAX_PARAM_VALUE + " characters");
      }
    });
    Map<String, String> labels;
    try {
      labels = new WorkerIdentity("submitter", queue, r.labels() == null ? Map.of() : r.labels()).labels();
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.VALIDATION, "labels: " + e.getMessage());
    }
    String taskId = UUID.randomUUID().toString();
    return TaskSubmitted.newBuilder()
        .setTaskId(taskId)
        .setType(r.type())
        .setQueue(queue.toString())
        .setInputRef(PayloadRef.newBuilder().setUri(in.ref()).setSha256(in.sha256()).setSize(in.size())
            .setClassification(inputClass).setEncryptionKeyId(in.keyId()).build())
        .setParams(new HashMap<>(params))
        .setClassification(classification)
        .setEvidenceRequired(Boolean.TRUE.equals(r.evidenceRequired()))
        .setIdempotencyKey(r.idempotencyKey() == null ? taskId : r.idempotencyKey())
        .setSubmittedBy(submitter)
        .setLabels(new HashMap<>(labels))
        .setSubmittedAt(clock.instant())
        .setCorrelationId(r.correlationId())
        .setReplayOf(null)
        .setApprovals(List.of())
        .build();
  }

  private static Classification classification(String text, String field) {
    try {
      return Classification.valueOf(text == null ? "INTERNAL" : text);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.VALIDATION, field + ": one of PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED");
    }
  }

  private static WorkerQueue parseQueue(String text) {
    try {
      return WorkerQueue.parse(text == null ? "" : text);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.VALIDATION, "queue: " + e.getMessage());
    }
  }

  private ProducerRecord<byte[], byte[]> transitionRecord(TaskStateChanged t) {
    return new ProducerRecord<>(TopicCatalog.TASK_EVENTS, TaskEvents.key(t.getTaskId()), codec.encode(t));
  }

  private ProducerRecord<byte[], byte[]> evidenceRecord(EvidenceEvent e) {
    return new ProducerRecord<>(TopicCatalog.EVIDENCE_EVENTS, e.getCorrelationId().getBytes(StandardCharsets.UTF_8), codec.encode(e));
  }

  private static void requireAnyRole(Authentication who, String... roles) {
    for (String role : roles) {
      if (who.getRoles().contains(role)) {
        return;
      }
    }
    throw new ProblemException(ProblemType.FORBIDDEN, "this needs one of the roles " + List.of(roles));
  }

  private static String tenantOf(Authentication who) {
    Object t = who.getAttributes().get(Roles.TENANT_ATTRIBUTE);
    return t == null ? "" : t.toString();
  }

  private static void requireTenant(Authentication who, String tenant) {
    String scope = tenantOf(who);
    if (!"*".equals(scope) && !scope.equals(tenant)) {
      throw new ProblemException(ProblemType.FORBIDDEN, "tenant " + tenant + " is outside this token's scope");
    }
  }
}

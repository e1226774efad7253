package dev.quartet.execution.task;

import dev.quartet.contracts.evidence.EvidenceClientSettings;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.execution.config.TaskRunnerSettings;
import dev.quartet.execution.domain.ConfigSnapshot;
import dev.quartet.execution.domain.TaskLifecycle;
import dev.quartet.execution.domain.WorkerIdentity;
import dev.quartet.execution.handler.HandlerFailure;
import dev.quartet.execution.handler.HandlerInvocation;
import dev.quartet.execution.handler.HandlerLimits;
import dev.quartet.execution.handler.HandlerLookup;
import dev.quartet.execution.handler.HandlerOutput;
import dev.quartet.execution.handler.HandlerRegistry;
import dev.quartet.execution.handler.TaskHandler;
import dev.quartet.execution.policy.PolicyDecision;
import dev.quartet.execution.policy.QuotaAdmission;
import dev.quartet.execution.policy.QuotaPermit;
import dev.quartet.execution.policy.RouteLimits;
import dev.quartet.execution.policy.TaskPolicy;
import dev.quartet.execution.policy.TaskRequestFacts;
import dev.quartet.execution.policy.TenantQuotas;
import dev.quartet.execution.task.PayloadGateway.PayloadAccessException;
import dev.quartet.execution.task.TaskEvents.Stamp;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.PayloadRef;
import dev.quartet.schemas.TaskCancelRequested;
import dev.quartet.schemas.TaskState;
import dev.quartet.schemas.TaskStateChanged;
import dev.quartet.schemas.TaskSubmitted;
import dev.quartet.schemas.UndecodableEventException;
import dev.quartet.execution.handler.HostResolver;
import dev.quartet.execution.kafka.WorkerConfigAgent;
import io.micronaut.core.value.PropertyResolver;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a queue's tasks on one worker with exactly-once state.
 *
 * <p>The queue's workers share one consumer group on the submissions topic: holding a partition
 * is holding the lease on its tasks, renewed by the consumer's heartbeat; when a worker stops
 * heartbeating for {@link TaskRunnerSettings#lease()} its partitions move to another worker whose
 * group generation — the lease epoch stamped on every transition — is higher. Every turn of the
 * runner writes its transitions, their evidence and the consumed offsets in one Kafka transaction
 * bound to the group generation (KIP-447), so a fenced worker's late writes abort and are never
 * seen by read_committed readers. A partition runs one task at a time; its offset is committed
 * only with the task's final transition, so a task whose worker died is read again and resumed by
 * the next holder. External calls carry the idempotency key {@code <task id>/step-1}, the same in
 * every attempt, so a server sees each side effect once.
 */
public final class TaskRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
  /** Applied config versions (and their policies) kept for replays under a recorded version. */
  private static final int MAX_REMEMBERED_CONFIGS = 32;
  /** Evidence-required tasks remembered as held back during an evidence outage. */
  private static final int MAX_HELD_FOR_EVIDENCE = 100_000;
  private final WorkerIdentity identity;
  private final TaskRunnerSettings settings;
  private final KafkaSettings kafka;
  private final BooleanSupplier admitting;
  private final Supplier<Optional<ConfigSnapshot>> applied;
  private final PayloadGateway payloads;
  private final HandlerRegistry handlers;
  private final TenantQuotas quotas;
  private final Clock clock;
  private final EventCodec codec = EventCodec.standard();
  private final ExecutorService pool;
  private final ConcurrentLinkedQueue<Outcome> finished = new ConcurrentLinkedQueue<>();
  private final Map<TopicPartition, Running> running = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Instant> waiting = new HashMap<>();
  private final CancelFeed cancels;
  private final WorkerEvidence evidence;
  /** Evidence-required tasks held back while evidence could not be written, with since when. */
  private final Map<String, Instant> heldForEvidence = boundedMap(MAX_HELD_FOR_EVIDENCE);
  private final Thread thread;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private KafkaProducer<byte[], byte[]> producer;
  private final Map<Long, ConfigSnapshot> seenConfigs = boundedMap(MAX_REMEMBERED_CONFIGS);
  private final Map<String, TaskPolicy> policies = boundedMap(MAX_REMEMBERED_CONFIGS);
  private volatile boolean closing;

  private TaskRunner(WorkerIdentity identity, TaskRunnerSettings settings, KafkaSettings kafka, BooleanSupplier admitting,
                     Supplier<Optional<ConfigSnapshot>> applied, HandlerRegistry handlers, WorkerEvidence evidence,
                     Clock clock) {
    this.identity = identity;
    this.evidence = evidence;
    this.settings = settings;
    this.kafka = kafka;
    this.admitting = admitting;
    this.applied = applied;
    this.handlers = handlers;
    this.clock = clock;
    this.payloads = new PayloadGateway(URI.create(settings.dataUrl()), settings.dataToken(), settings.connectTimeout(),
        settings.handlerTimeout());
    this.quotas = new TenantQuotas(clock, settings.maxTenants());
    this.pool = Executors.newFixedThreadPool(settings.capacity(), r -> {
      Thread t = new Thread(r, "task-" + identity.id());
      t.setDaemon(true);
      return t;
    });
    this.cancels = new CancelFeed(kafka.bootstrapServers(), "quartet-worker-" + identity.id() + "-cancels",
        settings.cancelWindow(), settings.maxRememberedCancels(), settings.pollTimeout(), clock, this::cancelRequested);
    this.thread = new Thread(this::run, "task-runner-" + identity.id());
    thread.setDaemon(true);
  }

  /**
   * Starts running the worker's queue.
   *
   * @param admitting whether the worker may start work now (verified config, lease or grace)
   * @param applied the verified config snapshot the worker applies, if any
   */
  public static TaskRunner start(WorkerIdentity identity, TaskRunnerSettings settings, KafkaSettings kafka,
                                 BooleanSupplier admitting, Supplier<Optional<ConfigSnapshot>> applied,
                                 HandlerRegistry handlers, EvidenceClientSettings evidenceSettings, Duration heartbeat,
                                 Clock clock) {
    WorkerEvidence evidence = WorkerEvidence.start(identity.id(), kafka, evidenceSettings, heartbeat, clock);
    try {
      TaskRunner runner = new TaskRunner(identity, settings, kafka, admitting, applied, handlers, evidence, clock);
      runner.thread.start();
      return runner;
    } catch (RuntimeException e) {
      evidence.close();
      throw e;
    }
  }

  /**
   * Starts the task runner of a worker whose config {@code agent} is running, with the settings under
   * {@code quartet.worker.tasks} and the built-in plus ServiceLoader handlers.
   *
   * @throws IllegalArgumentException naming a setting that is missing or out of range
   */
  public static TaskRunner forWorker(WorkerConfigAgent agent, PropertyResolver env, KafkaSettings kafka) {
    TaskRunnerSettings settings = TaskRunnerSettings.from(env);
    Path workRoot = Path.of(env.getProperty("quartet.worker.tasks.process-work-dir", String.class)
        .filter(s -> !s.isBlank()).orElse(System.getProperty("java.io.tmpdir")), "quartet-tasks-" + agent.identity().id());
    Duration killGrace = env.getProperty("quartet.worker.tasks.process-kill-grace", Duration.class)
        .orElseThrow(() -> new IllegalArgumentException("quartet.worker.tasks.process-kill-grace is not set"));
    try {
      Files.createDirectories(workRoot);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create the process work dir " + workRoot + ": " + e.getMessage());
    }
    HandlerRegistry handlers = HandlerRegistry.load(TaskRunner.class.getClassLoader(), HostResolver.SYSTEM, workRoot, killGrace);
    return start(agent.identity(), settings, kafka, agent::admitting, () -> agent.state().appliedSnapshot(), handlers,
        evidenceSettings(env, agent.identity().id()), env.getProperty("quartet.evidence-client.heartbeat-interval",
            Duration.class).orElseThrow(() -> new IllegalArgumentException("quartet.evidence-client.heartbeat-interval is not set")),
        Clock.systemUTC());
  }

  /** The evidence client settings of {@code quartet.evidence-client.*}, buffering under a directory of this worker. */
  static EvidenceClientSettings evidenceSettings(PropertyResolver env, String workerId) {
    String prefix = "quartet.evidence-client.";
    java.util.function.Function<String, String> text = name -> env.getProperty(prefix + name, String.class)
        .filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalArgumentException(prefix + name + " is not set"));
    return new EvidenceClientSettings(
        env.getProperty("quartet.worker.tasks.evidence-topic", String.class).orElse(TopicCatalog.EVIDENCE_EVENTS),
        env.getProperty("quartet.worker.tasks.evidence-gaps-topic", String.class).orElse(TopicCatalog.EVIDENCE_GAPS),
        Path.of(text.apply("buffer-dir"), "worker-" + workerId),
        Long.parseLong(text.apply("max-buffer-bytes")), Integer.parseInt(text.apply("max-buffered-events")),
        Integer.parseInt(text.apply("max-event-bytes")),
        env.getProperty(prefix + "send-timeout", Duration.class).orElseThrow(),
        env.getProperty(prefix + "probe-interval", Duration.class).orElseThrow());
  }

  /** Tasks this worker runs at once at most. */
  public int capacity() {
    return settings.capacity();
  }

  /** Tasks running on this worker now. */
  public int runningTasks() {
    return running.size();
  }

  /** The consumer group of a queue (and label set): the workers that share its tasks. */
  public static String groupOf(WorkerIdentity identity) {
    StringBuilder group = new StringBuilder("quartet.tasks.").append(identity.queue());
    if (!identity.labels().isEmpty()) {
      group.append('#');
      new java.util.TreeMap<>(identity.labels()).forEach((k, v) -> group.append(k).append('=').append(v).append(';'));
    }
    return group.toString();
  }

  private void run() {
    int failures = 0;
    while (!closing) {
      try {
        if (consumer == null) {
          consumer = newConsumer();
          consumer.subscribe(List.of(TopicCatalog.TASK_SUBMISSIONS), new Rebalance());
        }
        if (producer == null) {
          producer = newProducer();
        }
        turn();
        failures = 0;
      } catch (WakeupException e) {
        // a task finished or the runner is closing: go round again
      } catch (RuntimeException e) {
        if (closing) {
          break;
        }
        failures++;
        log.warn("Task runner turn failed ({} in a row) worker={}: {}; resetting to the committed offsets",
            failures, identity.id(), e.toString());
        reset();
        pause(Duration.ofMillis(Math.min(settings.pollTimeout().toMillis() << Math.min(failures, 6), 30_000)));
      }
    }
    abandonAll();
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  private void turn() {
    var records = consumer.poll(settings.pollTimeout());
    applied.get().ifPresent(this::remember);
    Turn turn = new Turn();
    Outcome outcome;
    while ((outcome = finished.poll()) != null) {
      settle(outcome, turn);
    }
    for (TopicPartition tp : records.partitions()) {
      admit(tp, records.records(tp), turn);
    }
    Instant now = clock.instant();
    waiting.entrySet().removeIf(e -> {
      if (!now.isBefore(e.getValue()) && !running.containsKey(e.getKey())) {
        consumer.resume(List.of(e.getKey()));
        return true;
      }
      return false;
    });
    if (turn.isEmpty()) {
      return;
    }
    try {
      producer.beginTransaction();
      for (ProducerRecord<byte[], byte[]> r : turn.records) {
        producer.send(r);
      }
      if (!turn.offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(turn.offsets, consumer.groupMetadata());
      }
      producer.commitTransaction();
    } catch (KafkaException e) {
      // Fenced (a newer generation holds our partitions), timed out or aborted: nothing of this turn
      // is visible. A producer whose commit failed is closed and re-created, never reused.
      turn.started.forEach(r -> r.permit().close());
      turn.started.forEach(r -> running.remove(r.partition()));
      producer.close(Duration.ZERO);
      producer = null;
      if (turn.requiredEvidence) {
        evidence.probe();  // if the evidence topic is the cause, hold evidence-required tasks from now on
      }
      throw e;
    }
    turn.bestEffort.forEach(evidence::bestEffort);
    for (Running r : turn.started) {
      r.future = pool.submit(() -> execute(r));
    }
  }

  /** Reads a partition's submissions in order until one is started or must wait. */
  private void admit(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records, Turn turn) {
    if (running.containsKey(tp) || waiting.containsKey(tp)) {
      consumer.seek(tp, records.get(0).offset());  // fetched before the pause: read again later
      return;
    }
    for (ConsumerRecord<byte[], byte[]> rec : records) {
      TaskSubmitted task;
      try {
        task = codec.decode(rec.value(), TaskSubmitted.class);
      } catch (UndecodableEventException e) {
        log.warn("Skipping an undecodable submission at {}@{}: {}", tp, rec.offset(), e.getMessage());
        turn.records.add(new ProducerRecord<>(TopicCatalog.DEAD_LETTER, rec.key(), rec.value()));
        turn.consumed(tp, rec.offset());
        continue;
      }
      Instant now = clock.instant();
      if (!task.getQueue().equals(identity.queue().toString()) || !task.getLabels().equals(identity.labels())
          || cancels.isCancelled(task.getTaskId())) {
        turn.consumed(tp, rec.offset());  // another queue's or lane's task, or cancelled before it started
        continue;
      }
      if (task.getAttempt() == 1 && task.getSubmittedAt().isBefore(now.minus(settings.maxPendingAge()))) {
        log.info("Skipping task {}: submitted {} ago, beyond max-pending-age", task.getTaskId(),
            Duration.between(task.getSubmittedAt(), now));
        turn.consumed(tp, rec.offset());
        continue;
      }
      Optional<ConfigSnapshot> snapshot = applied.get();
      boolean atCapacity = running.size() + turn.started.size() >= settings.capacity();
      Instant notBefore = task.getNotBefore();
      if (notBefore != null && now.isBefore(notBefore) || snapshot.isEmpty() || !admitting.getAsBoolean() || atCapacity) {
        // Not now: read this submission again when its backoff ends, the worker may admit work
        // again, or a slot frees up. The partition stays paused so nothing behind it overtakes it.
        consumer.seek(tp, rec.offset());
        consumer.pause(List.of(tp));
        waiting.put(tp, notBefore != null && now.isBefore(notBefore) ? notBefore : now.plus(settings.pollTimeout()));
        return;
      }
      ConfigSnapshot current = snapshot.get();
      remember(current);
      ConfigSnapshot config = current;
      Long pinned = task.getPinnedConfigVersion();
      if (pinned != null && pinned != current.version()) {
        // A replay under its recorded config: only a version this worker itself verified and
        // applied qualifies; it is never fetched from anyone else's word.
        config = seenConfigs.get(pinned);
        if (config == null) {
          Stamp stamp = new Stamp(identity.id(), task.getAttempt(), consumer.groupMetadata().generationId(),
              current.version(), current.digest(), now);
          end(turn, tp, rec.offset(), task, stamp, TaskState.FAILED, "the recorded config v" + pinned
              + " is not held by this worker (it holds " + seenConfigs.keySet() + "); replay with --current-config",
              "task.failed", "failed", "replay", null);
          continue;
        }
      }
      Stamp stamp = new Stamp(identity.id(), task.getAttempt(), consumer.groupMetadata().generationId(), config.version(),
          config.digest(), now);
      if (task.getEvidenceRequired()) {
        if (!evidence.writable()) {
          // Fail closed: not started while its evidence cannot be written; it ends once evidence is back.
          heldForEvidence.putIfAbsent(task.getTaskId(), now);
          consumer.seek(tp, rec.offset());
          consumer.pause(List.of(tp));
          waiting.put(tp, now.plus(settings.pollTimeout()));
          return;
        }
        Instant heldSince = heldForEvidence.remove(task.getTaskId());
        if (heldSince != null) {
          end(turn, tp, rec.offset(), task, stamp, TaskState.FAILED, "not started: evidence-required, and evidence could not"
              + " be written from " + heldSince + " to " + now, "task.failed", "failed", "evidence", null);
          continue;
        }
      }
      TaskPolicy taskPolicy;
      try {
        taskPolicy = policyOf(config);
      } catch (IllegalArgumentException e) {
        end(turn, tp, rec.offset(), task, stamp, TaskState.FAILED, "config v" + config.version()
            + " has no usable task policy: " + e.getMessage(), "policy.denied", "denied", "config", null);
        continue;
      }
      String tenant = TaskEvents.tenantOf(task.getQueue());
      PolicyDecision decision = taskPolicy.admit(new TaskRequestFacts(task.getType(), task.getClassification(), tenant));
      if (decision instanceof PolicyDecision.Denied denied) {
        end(turn, tp, rec.offset(), task, stamp, TaskState.FAILED, deniedReason(denied.policy(), config, denied.reason()),
            "policy.denied", "denied", denied.policy(), null);
        continue;
      }
      if (decision instanceof PolicyDecision.NeedsApproval approval && task.getApprovals().stream().noneMatch(a -> a.getApproved())) {
        String reason = "waiting for an approver (approval rule " + approval.rule() + " of config v" + config.version() + ")";
        turn.transition(task, stamp, TaskState.PENDING, TaskState.WAITING, reason, null, "policy.approval-required",
            "waiting", "approvals." + approval.rule());
        turn.consumed(tp, rec.offset());
        continue;
      }
      ToolPick pick = decision instanceof PolicyDecision.Allowed allowed ? new ToolPick(allowed.tool()) : toolOf(taskPolicy, task);
      QuotaAdmission admission = quotas.tryAcquire(tenant, taskPolicy.quotas());
      if (admission instanceof QuotaAdmission.Refused refused) {
        end(turn, tp, rec.offset(), task, stamp, TaskState.FAILED, deniedReason(refused.denied().policy(), config, refused.denied().reason()),
            "policy.denied", "denied", refused.denied().policy(), null);
        continue;
      }
      QuotaPermit permit = ((QuotaAdmission.Admitted) admission).permit();
      Running r = new Running(tp, rec.offset(), task, stamp, taskPolicy, pick.tool(), permit);
      turn.transition(task, stamp, TaskState.PENDING, TaskState.LEASED, null, null, TaskEvents.typeOf(TaskState.LEASED),
          "leased", null);
      turn.transition(task, stamp, TaskState.LEASED, TaskState.RUNNING, null, null, TaskEvents.typeOf(TaskState.RUNNING),
          "running", null);
      // The offset stays at this submission until the task ends: if this worker dies, the next
      // holder of the partition reads it again and resumes the task.
      turn.offsets.put(tp, new OffsetAndMetadata(rec.offset()));
      turn.started.add(r);
      running.put(tp, r);
      consumer.seek(tp, rec.offset() + 1);
      consumer.pause(List.of(tp));
      return;
    }
  }

  private static String deniedReason(String policyName, ConfigSnapshot config, String reason) {
    return "denied by policy " + policyName + " of config v" + config.version() + ": " + reason;
  }

  private record ToolPick(dev.quartet.execution.policy.ToolDefinition tool) {}

  private static ToolPick toolOf(TaskPolicy p, TaskSubmitted task) {
    return new ToolPick(p.tools().get(task.getType()));  // approved: the tool is registered (admit checked it)
  }

  private TaskPolicy policyOf(ConfigSnapshot config) {
    return policies.computeIfAbsent(config.digest(), d -> TaskPolicy.fromBody(config.body(), config.version(), config.digest()));
  }

  /** Keeps the applied snapshots this worker has seen, newest last, so replays can run under a recorded one. */
  private void remember(ConfigSnapshot applied) {
    if (!seenConfigs.containsKey(applied.version())) {
      seenConfigs.put(applied.version(), applied);
    }
  }

  /** Runs one attempt on a pool thread; the outcome is settled by the runner's next turn. */
  private void execute(Running r) {
    Outcome outcome;
    TaskSubmitted task = r.task();
    String correlation = TaskEvents.correlationOf(task);
    try {
      RouteLimits route = r.policy().routeFor(task.getClassification())
          .orElseThrow(() -> HandlerFailure.permanent("no route carries " + task.getClassification() + " data"));
      byte[] input = payloads.fetch(task.getInputRef(), route.maxInputBytes(), correlation);
      HandlerLookup lookup = handlers.handlerFor(r.tool());
      if (lookup instanceof HandlerLookup.Refused refused) {
        throw HandlerFailure.permanent(refused.reason());
      }
      TaskHandler handler = ((HandlerLookup.Found) lookup).handler();
      long outputBudget = route.maxTaskBytes() - input.length;
      if (outputBudget < 1) {
        throw HandlerFailure.permanent("input of " + input.length + " bytes leaves nothing of the task limit of "
            + route.maxTaskBytes() + " bytes for the output");
      }
      HandlerLimits limits = new HandlerLimits(settings.handlerTimeout(), outputBudget, settings.connectTimeout(),
          settings.maxRedirects(), settings.maxDiagnosticBytes());
      HandlerOutput output = handler.run(new HandlerInvocation(task.getTaskId(), task.getAttempt(),
          task.getTaskId() + "/step-1", r.tool(), task.getParams(), input, limits, r.policy().egress()));
      if (input.length + output.bytes().length > route.maxTaskBytes()) {
        throw HandlerFailure.permanent("inputs and outputs of " + (input.length + output.bytes().length)
            + " bytes are over the task limit of " + route.maxTaskBytes() + " bytes of route " + route.name());
      }
      PayloadRef ref = payloads.store(output.bytes(), task.getClassification(), route.name(),
          TaskEvents.tenantOf(task.getQueue()), correlation);
      outcome = new Outcome(r, TaskState.SUCCEEDED, null, false, ref);
    } catch (HandlerFailure f) {
      outcome = new Outcome(r, TaskState.FAILED, f.reason(), f.retryable(), null);
    } catch (PayloadAccessException e) {
      outcome = new Outcome(r, TaskState.FAILED, e.getMessage(), e.retryable(), null);
    } catch (InterruptedException e) {
      TaskCancelRequested request = cancels.request(task.getTaskId());
      outcome = request == null ? null
          : new Outcome(r, TaskState.CANCELLED, "cancelled by " + request.getRequestedBy()
              + (request.getReason() == null ? "" : ": " + request.getReason()), false, null);
    } catch (RuntimeException e) {
      log.error("Handler of task {} failed unexpectedly", task.getTaskId(), e);
      outcome = new Outcome(r, TaskState.FAILED, "handler error: " + e.getClass().getSimpleName(), false, null);
    }
    if (outcome != null) {  // null: abandoned (rebalance or shutdown); the next holder runs it again
      finished.add(outcome);
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
    }
  }

  /** Writes a finished attempt's end: its last transition, a retry, and the offset past its submission. */
  private void settle(Outcome o, Turn turn) {
    Running r = o.running();
    if (running.get(r.partition()) != r) {
      return;  // the partition moved on (rebalance or reset): this attempt's result must not be written
    }
    running.remove(r.partition());
    r.permit().close();
    consumer.resume(List.of(r.partition()));
    TaskSubmitted task = r.task();
    Stamp stamp = new Stamp(r.stamp().workerId(), r.stamp().attempt(), r.stamp().leaseEpoch(), r.stamp().configVersion(),
        r.stamp().configDigest(), clock.instant());
    TaskCancelRequested cancel = cancels.request(task.getTaskId());
    if (cancel != null && o.state() == TaskState.FAILED) {
      // A handler may surface its interruption as a failure (an aborted request): it was the cancel.
      o = new Outcome(r, TaskState.CANCELLED, "cancelled by " + cancel.getRequestedBy()
          + (cancel.getReason() == null ? "" : ": " + cancel.getReason()), false, null);
    }
    if (o.state() == TaskState.FAILED && o.retryable() && task.getAttempt() < settings.maxAttempts()) {
      Duration delay = TaskLifecycle.backoff(task.getAttempt(), settings.backoffInitial(), settings.backoffMax(),
          ThreadLocalRandom.current());
      Instant at = stamp.at().plus(delay);
      turn.transition(task, stamp, TaskState.RUNNING, TaskState.PENDING, "attempt " + task.getAttempt() + " failed: "
          + o.reason() + "; attempt " + (task.getAttempt() + 1) + " not before " + at, null, "task.retry", "retrying", null);
      TaskSubmitted next = TaskSubmitted.newBuilder(task).setAttempt(task.getAttempt() + 1).setNotBefore(at).build();
      turn.records.add(new ProducerRecord<>(TopicCatalog.TASK_SUBMISSIONS, TaskEvents.key(task.getTaskId()), codec.encode(next)));
      turn.consumed(r.partition(), r.offset());
      return;
    }
    end(turn, r.partition(), r.offset(), task, stamp, o.state(), o.reason(), TaskEvents.typeOf(o.state()),
        o.state().name().toLowerCase(java.util.Locale.ROOT), null, o.output());
  }

  private void end(Turn turn, TopicPartition tp, long offset, TaskSubmitted task, Stamp stamp, TaskState to, String reason,
                   String evidenceType, String outcome, String policyName, PayloadRef output) {
    TaskState from = to == TaskState.FAILED && policyName != null ? TaskState.PENDING : TaskState.RUNNING;
    turn.transition(task, stamp, from, to, reason, output, evidenceType, outcome, policyName);
    turn.consumed(tp, offset);
  }

  private void cancelRequested(TaskCancelRequested request) {
    for (Running r : running.values()) {
      if (r.task().getTaskId().equals(request.getTaskId())) {
        Future<?> f = r.future;
        if (f != null) {
          f.cancel(true);  // interrupts the handler; execute() turns that into CANCELLED
        }
      }
    }
  }

  /** Drops everything in flight and reads again from the committed offsets (after a failed turn). */
  private void reset() {
    abandonAll();
    finished.clear();
    waiting.clear();
    if (producer != null) {
      producer.close(Duration.ZERO);
      producer = null;
    }
    if (consumer != null) {
      try {
        consumer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        log.debug("Closing the task consumer after a failed turn", e);
      }
      consumer = null;  // a fresh member rejoins and starts at the group's committed offsets
    }
  }

  private void abandonAll() {
    abandon(new ArrayList<>(running.keySet()));
  }

  private void abandon(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      Running r = running.remove(tp);
      if (r != null) {
        r.permit().close();
        Future<?> f = r.future;
        if (f != null) {
          f.cancel(true);
        }
      }
      waiting.remove(tp);
    }
  }

  private KafkaConsumer<byte[], byte[]> newConsumer() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupOf(identity));
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "quartet-worker-" + identity.id() + "-tasks");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.lease().toMillis());
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(settings.lease().toMillis() / 3, 100));
    // The runner polls every turn while tasks run on the pool, so this only bounds a stuck runner.
    props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.max(settings.lease().toMillis() * 3, 30_000));
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaProducer<byte[], byte[]> newProducer() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "quartet-worker-" + identity.id() + "-tasks");
    // One transactional id per worker: a restarted worker with the same id fences its predecessor.
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "quartet-worker-" + identity.queue() + "-" + identity.id());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) kafka.deliveryTimeout().toMillis());
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(kafka.requestTimeout().toMillis(), kafka.deliveryTimeout().toMillis()));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, kafka.requestTimeout().toMillis());
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.max(kafka.deliveryTimeout().toMillis(), 10_000));
    KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    try {
      p.initTransactions();
    } catch (RuntimeException e) {
      p.close(Duration.ZERO);
      throw e;
    }
    return p;
  }

  private static <K, V> Map<K, V> boundedMap(int max) {
    return new java.util.LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());  // bounded backoff of the runner thread after a failed turn, not a test wait
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing = true;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cancels.close();
    evidence.close();
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Partitions taken away: their tasks are abandoned here and resumed by the new holder. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      abandon(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // The lease lapsed (no heartbeat within the session): another worker may hold these now.
      List<String> tasks = partitions.stream().map(running::get).filter(java.util.Objects::nonNull)
          .map(r -> r.task().getTaskId()).toList();
      log.warn("Task lease lost worker={} partitions={} abandoning tasks={}", identity.id(), partitions.size(), tasks);
      abandon(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // nothing to do: reading starts at the group's committed offsets
    }
  }

  /** A task running on this worker: the submission at {@code offset} of {@code partition}. */
  private static final class Running {
    private final TopicPartition partition;
    private final long offset;
    private final TaskSubmitted task;
    private final Stamp stamp;
    private final TaskPolicy policy;
    private final dev.quartet.execution.policy.ToolDefinition tool;
    private final QuotaPermit permit;
    volatile Future<?> future;

    Running(TopicPartition partition, long offset, TaskSubmitted task, Stamp stamp, TaskPolicy policy,
            dev.quartet.execution.policy.ToolDefinition tool, QuotaPermit permit) {
      this.partition = partition;
      this.offset = offset;
      this.task = task;
      this.stamp = stamp;
      this.policy = policy;
      this.tool = tool;
      this.permit = permit;
    }

    TopicPartition partition() {
      return partition;
    }

    long offset() {
      return offset;
    }

    TaskSubmitted task() {
      return task;
    }

    Stamp stamp() {
      return stamp;
    }

    TaskPolicy policy() {
      return policy;
    }

    dev.quartet.execution.policy.ToolDefinition tool() {
      return tool;
    }

    QuotaPermit permit() {
      return permit;
    }
  }

  /** How an attempt ended; {@code retryable} only for FAILED. */
  private record Outcome(Running running, TaskState state, String reason, boolean retryable, PayloadRef output) {}

  /** What one turn writes in its transaction. */
  private final class Turn {
    final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    final List<Running> started = new ArrayList<>();
    final List<EvidenceEvent> bestEffort = new ArrayList<>();
    boolean requiredEvidence;

    void consumed(TopicPartition tp, long offset) {
      offsets.put(tp, new OffsetAndMetadata(offset + 1));
    }

    void transition(TaskSubmitted task, Stamp stamp, TaskState from, TaskState to, String reason, PayloadRef output,
                    String evidenceType, String outcome, String policyName) {
      TaskStateChanged change = TaskEvents.transition(stamp, task.getTaskId(), from, to, reason, output);
      records.add(new ProducerRecord<>(TopicCatalog.TASK_EVENTS, TaskEvents.key(task.getTaskId()), codec.encode(change)));
      Map<String, String> attributes = new HashMap<>();
      attributes.put("from", from.name());
      attributes.put("to", to.name());
      if (reason != null) {
        attributes.put("reason", reason);
      }
      EvidenceEvent event = TaskEvents.evidence(task, stamp, evidenceType, outcome, policyName, attributes, output);
      if (task.getEvidenceRequired()) {
        // In the transaction: the transition is visible only if its evidence is written too.
        records.add(new ProducerRecord<>(evidence.topic(),
            event.getCorrelationId().getBytes(java.nio.charset.StandardCharsets.UTF_8), codec.encode(event)));
        requiredEvidence = true;
      } else {
        bestEffort.add(event);  // after the commit; buffered (and reported in a gap) if evidence is down
      }
    }

    boolean isEmpty() {
      return records.isEmpty() && offsets.isEmpty();
    }
  }
}

package dev.quartet.execution.kafka;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.execution.domain.ConfigSnapshot;
import dev.quartet.execution.domain.WorkerIdentity;
import dev.quartet.execution.domain.WorkerStatus;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.WorkerHeartbeat;
import dev.quartet.schemas.WorkerRegistered;
import dev.quartet.schemas.WorkerState;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A worker's presence for the control plane's registry: {@code WorkerRegistered} (queue, labels,
 * capacity) on the registrations topic, re-sent on each tick until Kafka acknowledged it; a light
 * {@code WorkerHeartbeat} (state, task count) every heartbeat interval and a full one (plus capacity
 * and the applied config) every full-heartbeat interval, the first one full. Everything is keyed by
 * worker id, so one worker's records stay in order. Summaries only, never payloads.
 *
 * <p>Bounded: one daemon thread, sends are asynchronous and at most one tick runs at a time (a
 * tick blocked on Kafka metadata delays the next one, it never piles up). The caller is never
 * blocked. A send failure is logged once per outage and once more when sends succeed again.
 */
public final class WorkerPresence implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerPresence.class);

  /**
   * What a worker says about itself at one heartbeat. The supplier runs on the presence thread,
   * so it must be quick and thread-safe (e.g. read volatile fields).
   *
   * @param appliedConfigVersion null until a config is applied; set together with the digest
   */
  public record Report(WorkerState state, int taskCount, Long appliedConfigVersion, String appliedConfigDigest) {
    /** @throws IllegalArgumentException on a missing state, a negative count or a version without digest */
    public Report {
      if (state == null || taskCount < 0) {
        throw new IllegalArgumentException("a report needs a state and a task count >= 0");
      }
      if ((appliedConfigVersion == null) != (appliedConfigDigest == null)) {
        throw new IllegalArgumentException("applied config version and digest come together");
      }
    }

    /**
     * The report of a worker whose config stands at {@code status} with {@code applied} (null before
     * the first version) and {@code runningTasks} tasks: READY or BUSY while it holds a config lease,
     * DEGRADED otherwise (no lease, expired config or none yet: it admits no work on its own terms).
     */
    public static Report of(WorkerStatus status, int runningTasks, ConfigSnapshot applied) {
      WorkerState state = status != WorkerStatus.LEASED ? WorkerState.DEGRADED
          : runningTasks > 0 ? WorkerState.BUSY : WorkerState.READY;
      return new Report(state, runningTasks, applied == null ? null : applied.version(), applied == null ? null : applied.digest());
    }
  }

  /**
   * How often the worker speaks.
   *
   * @param heartbeat between two heartbeats (light ones, mostly)
   * @param fullHeartbeat between two full ones; at least {@code heartbeat}
   * @param closeTimeout bound on stopping the thread and, for an owned producer, flushing it
   */
  public record Cadence(Duration heartbeat, Duration fullHeartbeat, Duration closeTimeout) {
    /** @throws IllegalArgumentException unless every duration is positive and full ≥ light */
    public Cadence {
      for (Duration d : new Duration[] {heartbeat, fullHeartbeat, closeTimeout}) {
        if (d == null || d.isZero() || d.isNegative()) {
          throw new IllegalArgumentException("heartbeat intervals and close timeout must be positive");
        }
      }
      if (fullHeartbeat.compareTo(heartbeat) < 0) {
        throw new IllegalArgumentException("full-heartbeat-interval (" + fullHeartbeat + ") must not be shorter than"
            + " heartbeat-interval (" + heartbeat + ")");
      }
    }
  }

  private final WorkerIdentity identity;
  private final int capacity;
  private final Supplier<Report> report;
  private final Cadence cadence;
  private final Clock clock;
  private final Producer<byte[], byte[]> producer;
  private final boolean ownsProducer;
  private final byte[] key;
  private final EventCodec codec = EventCodec.standard();
  private final ScheduledExecutorService thread;
  private final AtomicBoolean sendsFailing = new AtomicBoolean();
  private final AtomicBoolean reportFailing = new AtomicBoolean();
  private final AtomicBoolean registered = new AtomicBoolean();
  private final AtomicBoolean registrationInFlight = new AtomicBoolean();
  private volatile boolean fullOwed = true;
  private volatile Instant lastFullAt;
  private volatile Instant registeredAt;

  private WorkerPresence(Producer<byte[], byte[]> producer, boolean ownsProducer, WorkerIdentity identity, int capacity,
                         Supplier<Report> report, Cadence cadence, Clock clock) {
    this.producer = producer;
    this.ownsProducer = ownsProducer;
    this.identity = Objects.requireNonNull(identity, "identity");
    this.report = Objects.requireNonNull(report, "report");
    this.cadence = Objects.requireNonNull(cadence, "cadence");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.key = identity.id().getBytes(StandardCharsets.UTF_8);
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "worker-presence-" + identity.id());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts registering and heartbeating with a producer of its own, closed by {@link #close()}.
   *
   * @throws IllegalArgumentException when capacity or cadence are out of range
   */
  public static WorkerPresence start(KafkaSettings kafka, WorkerIdentity identity, int capacity, Supplier<Report> report,
                                     Cadence cadence, Clock clock) {
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.CLIENT_ID_CONFIG, "quartet-worker-presence-" + identity.id(),
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) kafka.deliveryTimeout().toMillis(),
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(kafka.requestTimeout().toMillis(), kafka.deliveryTimeout().toMillis()),
        // A send may wait for metadata at most this long, on the presence thread only.
        ProducerConfig.MAX_BLOCK_MS_CONFIG, kafka.requestTimeout().toMillis()),
        new ByteArraySerializer(), new ByteArraySerializer());
    try {
      return new WorkerPresence(producer, true, identity, capacity, report, cadence, clock).begin();
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * Starts registering and heartbeating through {@code producer}, which the caller keeps owning
   * (e.g. the worker's own producer); {@link #close()} leaves it open.
   *
   * @throws IllegalArgumentException when capacity or cadence are out of range
   */
  public static WorkerPresence start(Producer<byte[], byte[]> producer, WorkerIdentity identity, int capacity,
                                     Supplier<Report> report, Cadence cadence, Clock clock) {
    return new WorkerPresence(Objects.requireNonNull(producer, "producer"), false, identity, capacity, report, cadence, clock)
        .begin();
  }

  /**
   * Starts the presence of a running worker: its config agent reports state and applied config,
   * its task runner the task count; cadence from {@code quartet.worker.heartbeat-interval},
   * {@code full-heartbeat-interval} and {@code shutdown-timeout}.
   */
  public static WorkerPresence forWorker(WorkerConfigAgent agent, java.util.function.IntSupplier runningTasks, int capacity,
                                         io.micronaut.core.value.PropertyResolver env, KafkaSettings kafka) {
    Cadence cadence = new Cadence(required(env, "quartet.worker.heartbeat-interval"),
        required(env, "quartet.worker.full-heartbeat-interval"), required(env, "quartet.worker.shutdown-timeout"));
    return start(kafka, agent.identity(), capacity,
        () -> Report.of(agent.status(), runningTasks.getAsInt(), agent.state().applied()), cadence, Clock.systemUTC());
  }

  private static Duration required(io.micronaut.core.value.PropertyResolver env, String name) {
    return env.getProperty(name, Duration.class).orElseThrow(() -> new IllegalArgumentException(name + " is not set"));
  }

  private WorkerPresence begin() {
    thread.scheduleWithFixedDelay(this::tick, 0, cadence.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
    log.info("Worker presence started worker={} queue={} heartbeat={} fullHeartbeat={}", identity.id(), identity.queue(),
        cadence.heartbeat(), cadence.fullHeartbeat());
    return this;
  }

  /** Whether Kafka has acknowledged the registration. */
  public boolean registered() {
    return registered.get();
  }

  private void tick() {
    try {
      Instant now = clock.instant();
      if (!registered.get() && registrationInFlight.compareAndSet(false, true)) {
        sendRegistration(now);
      }
      Report r;
      try {
        r = report.get();
        if (reportFailing.compareAndSet(true, false)) {
          log.info("Worker presence report works again worker={}", identity.id());
        }
      } catch (RuntimeException e) {
        if (reportFailing.compareAndSet(false, true)) {
          log.warn("Worker presence cannot read the worker's report worker={}; no heartbeat until it can: {}", identity.id(),
              e.toString());
        }
        return;
      }
      boolean full = fullOwed || lastFullAt == null || !now.isBefore(lastFullAt.plus(cadence.fullHeartbeat()));
      WorkerHeartbeat.Builder beat = WorkerHeartbeat.newBuilder().setWorkerId(identity.id()).setState(r.state())
          .setTaskCount(r.taskCount()).setFull(full).setSentAt(now);
      if (full) {
        beat.setCapacity(capacity).setAppliedConfigVersion(r.appliedConfigVersion()).setAppliedConfigDigest(r.appliedConfigDigest());
        fullOwed = false;
        lastFullAt = now;
      }
      send(TopicCatalog.WORKER_HEARTBEATS, beat.build(), ok -> {
        if (!ok && full) {
          fullOwed = true;  // the control plane must not wait a whole full interval for capacity and config
        }
      });
    } catch (RuntimeException e) {
      // Only a bug gets here; the schedule must survive it, since a worker that stops heartbeating is declared lost.
      log.error("Worker presence tick failed worker={}", identity.id(), e);
    }
  }

  private void sendRegistration(Instant now) {
    if (registeredAt == null) {
      registeredAt = now;
    }
    WorkerRegistered event = WorkerRegistered.newBuilder().setWorkerId(identity.id()).setQueue(identity.queue().toString())
        .setLabels(identity.labels()).setCapacity(capacity).setRegisteredAt(registeredAt).build();
    send(TopicCatalog.WORKER_REGISTRATIONS, event, ok -> {
      if (ok && registered.compareAndSet(false, true)) {
        log.info("Worker registered worker={} queue={} capacity={}", identity.id(), identity.queue(), capacity);
      }
      registrationInFlight.set(false);
    });
  }

  private void send(String topic, SpecificRecord event, java.util.function.Consumer<Boolean> done) {
    try {
      producer.send(new ProducerRecord<>(topic, key, codec.encode(event)), (metadata, error) -> {
        if (error == null) {
          if (sendsFailing.compareAndSet(true, false)) {
            log.info("Worker presence is written again worker={} topic={}", identity.id(), topic);
          }
        } else {
          failed(topic, error);
        }
        done.accept(error == null);
      });
    } catch (RuntimeException e) {
      // send() itself throws when it cannot even queue: closed producer, or no metadata within max.block.ms.
      failed(topic, e);
      done.accept(false);
    }
  }

  private void failed(String topic, Throwable error) {
    if (sendsFailing.compareAndSet(false, true)) {
      log.warn("Worker presence not written worker={} topic={}: {}; retrying every {}, silent until it works again",
          identity.id(), topic, error.toString(), cadence.heartbeat());
    }
  }

  /** Stops heartbeating, waiting at most the close timeout; an owned producer is flushed and closed within it too. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(cadence.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Worker presence thread did not stop within {} worker={}", cadence.closeTimeout(), identity.id());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (ownsProducer) {
        producer.close(cadence.closeTimeout());
      }
      log.info("Worker presence stopped worker={}", identity.id());
    }
  }
}

package dev.quartet.execution.task;

import dev.quartet.contracts.evidence.EvidenceClient;
import dev.quartet.contracts.evidence.EvidenceClientSettings;
import dev.quartet.contracts.evidence.EvidenceClientState;
import dev.quartet.contracts.evidence.EvidenceGapEvents;
import dev.quartet.contracts.evidence.EvidenceSource;
import dev.quartet.contracts.evidence.PlaneLiveness;
import dev.quartet.contracts.Plane;
import dev.quartet.runtime.BuildInfo;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.schemas.EvidenceEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's evidence outside task transactions: best-effort events (of tasks that do not require
 * evidence) through the buffering {@link EvidenceClient}, and a heartbeat that both lets the
 * evidence plane see a silent worker and tells the worker early when the evidence topic cannot be
 * written — so it holds evidence-required tasks instead of failing every transaction.
 */
final class WorkerEvidence implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerEvidence.class);
  private final KafkaProducer<byte[], byte[]> producer;
  private final EvidenceClient client;
  private final EvidenceSource source;
  private final String topic;
  private final Duration heartbeat;
  private final Clock clock;
  private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "worker-evidence-heartbeat");
    t.setDaemon(true);
    return t;
  });

  private WorkerEvidence(KafkaProducer<byte[], byte[]> producer, EvidenceClient client, EvidenceSource source, String topic,
                         Duration heartbeat, Clock clock) {
    this.producer = producer;
    this.client = client;
    this.source = source;
    this.topic = topic;
    this.heartbeat = heartbeat;
    this.clock = clock;
  }

  /** Starts the client (buffering under {@code settings.bufferDir()}) and the heartbeat. */
  static WorkerEvidence start(String workerId, KafkaSettings kafka, EvidenceClientSettings settings, Duration heartbeat,
                              Clock clock) {
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.CLIENT_ID_CONFIG, "quartet-worker-" + workerId + "-evidence",
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) kafka.deliveryTimeout().toMillis(),
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(kafka.requestTimeout().toMillis(), kafka.deliveryTimeout().toMillis()),
        // A missing topic must fail a send within the client's send timeout, not block a turn.
        ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.sendTimeout().toMillis()),
        new ByteArraySerializer(), new ByteArraySerializer());
    EvidenceSource source = new EvidenceSource(Plane.EXECUTION, workerId, BuildInfo.version());
    try {
      EvidenceClient client = EvidenceClient.start(producer, settings, source, clock);
      WorkerEvidence evidence = new WorkerEvidence(producer, client, source, settings.eventsTopic(), heartbeat, clock);
      evidence.beats.scheduleWithFixedDelay(evidence::beat, 0, heartbeat.toMillis(), TimeUnit.MILLISECONDS);
      return evidence;
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }

  /** The topic evidence goes to (the transactional writes of evidence-required tasks use it too). */
  String topic() {
    return topic;
  }

  /** False while the client knows the topic cannot be written: evidence-required work must not start. */
  boolean writable() {
    return client.status().state() == EvidenceClientState.DIRECT;
  }

  /** Emits an event that may be buffered (and then reported in a gap) when the topic cannot be written. */
  void bestEffort(EvidenceEvent event) {
    client.emit(event).whenComplete((delivery, error) -> {
      if (error != null) {
        log.warn("Best-effort evidence {} of type {} not kept: {}", event.getId(), event.getType(), error.toString());
      }
    });
  }

  /** Sends a heartbeat now, e.g. after a transaction failed, so an outage is noticed at once. */
  void probe() {
    beats.execute(this::beat);
  }

  private void beat() {
    try {
      bestEffort(EvidenceGapEvents.system(PlaneLiveness.HEARTBEAT, "alive",
          "plane/" + source.plane().id() + "/" + source.producerId(), clock.instant(),
          Map.of(PlaneLiveness.PRODUCER_ID, source.producerId(), PlaneLiveness.INTERVAL, heartbeat.toString()), source));
    } catch (RuntimeException e) {
      log.warn("Worker heartbeat not sent: {}", e.toString());
    }
  }

  @Override
  public void close() {
    beats.shutdownNow();
    client.close();
    producer.close(Duration.ofSeconds(5));
  }
}

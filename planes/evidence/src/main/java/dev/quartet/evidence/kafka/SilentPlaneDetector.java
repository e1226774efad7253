package dev.quartet.evidence.kafka;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.evidence.EvidenceGapEvents;
import dev.quartet.contracts.evidence.EvidenceSource;
import dev.quartet.contracts.evidence.PlaneLiveness;
import dev.quartet.contracts.kafka.ConsumedEvent;
import dev.quartet.contracts.kafka.ConsumerLoopConfig;
import dev.quartet.contracts.kafka.EventConsumerLoop;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.evidence.config.SilenceSettings;
import dev.quartet.evidence.domain.PlaneLivenessRow;
import dev.quartet.evidence.domain.SilenceDecision;
import dev.quartet.evidence.domain.SilenceRules;
import dev.quartet.evidence.store.PlaneLivenessStore;
import dev.quartet.runtime.BuildInfo;
import dev.quartet.runtime.EvidenceEmitter;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.runtime.TopicBootstrap;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.EvidenceGap;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Records a plane that went silent as a gap (SPEC "Evidence"): reads {@code plane.heartbeat} and
 * {@code plane.stopped} off the evidence topic into {@code plane_liveness}, and every scan
 * interval writes one {@code evidence.gap} (kind {@code silent}) for each running instance not
 * heard from for longer than the bound, and an {@code evidence.gap.closed} once it is heard from
 * again. A row is marked only after its event is written, so a failed write is retried by the
 * next scan; one evidence plane instance per database is assumed (two would both write the gap).
 */
@Context
public class SilentPlaneDetector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SilentPlaneDetector.class);

  private final PlaneLivenessStore store;
  private final EvidenceEmitter emitter;
  private final Producer<byte[], byte[]> producer;
  private final SilenceSettings settings;
  private final KafkaSettings kafka;
  private final Clock clock = Clock.systemUTC();
  private final EventCodec codec = EventCodec.standard();
  private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> daemon(r, "evidence-liveness-reader"));
  private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "evidence-silence-scan"));
  private volatile EventConsumerLoop loop;
  private volatile boolean closed;

  /** Takes {@link TopicBootstrap} so consumption starts only once the topics exist. */
  SilentPlaneDetector(PlaneLivenessStore store, EvidenceEmitter emitter, Producer<byte[], byte[]> producer,
                      SilenceSettings settings, KafkaSettings kafka, TopicBootstrap topics) {
    this.store = store;
    this.emitter = emitter;
    this.producer = producer;
    this.settings = settings;
    this.kafka = kafka;
    long every = settings.scanInterval().toMillis();
    // The reader starts at once; the first judgement waits one silence bound, so heartbeats
    // written while this plane was down are read before anyone is called silent.
    scanner.execute(() -> {
      try {
        superviseReader();
      } catch (RuntimeException e) {
        log.warn("Liveness reader not started, retried by the first scan: {}", e.toString());
      }
    });
    scanner.scheduleWithFixedDelay(this::tick, settings.silentAfter().toMillis(), every, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      superviseReader();
      Instant now = clock.instant();
      List<PlaneLivenessRow> watched = store.watched(now.minus(settings.silentAfter()), settings.maxInstancesPerScan());
      for (SilenceDecision d : SilenceRules.decide(watched, now, settings.silentAfter())) {
        if (d instanceof SilenceDecision.OpenGap open) {
          openGap(open.instance(), now);
        } else if (d instanceof SilenceDecision.CloseGap close) {
          closeGap(close.instance(), now);
        }
      }
    } catch (Exception e) {
      // The scan runs again after the interval; nothing was marked for an event not written.
      log.warn("Silence scan incomplete, retried in {}: {}", settings.scanInterval(), e.toString());
    }
  }

  private void openGap(PlaneLivenessRow i, Instant now) throws Exception {
    String gapId = UUID.randomUUID().toString();
    EvidenceGap gap = new EvidenceGap(dev.quartet.schemas.Plane.valueOf(i.plane().toUpperCase(Locale.ROOT)), i.producerId(),
        "plane silent: no heartbeat since " + i.lastSeenAt(), 0L, i.lastSeenAt(), now, now);
    EvidenceEvent event = EvidenceGapEvents.gap(gapId, EvidenceGapEvents.KIND_SILENT, gap,
        Map.of("silentAfter", settings.silentAfter().toString()), self());
    long timeout = settings.emitTimeout().toMillis();
    producer.send(new ProducerRecord<>(TopicCatalog.EVIDENCE_GAPS, gapId.getBytes(StandardCharsets.UTF_8), codec.encode(gap)))
        .get(timeout, TimeUnit.MILLISECONDS);
    emitter.emitRequired(event).get(timeout, TimeUnit.MILLISECONDS);
    store.gapOpened(i.plane(), i.producerId(), gapId, i.lastSeenAt());
    log.warn("Plane {} instance {} silent since {}: gap {} recorded", i.plane(), i.producerId(), i.lastSeenAt(), gapId);
  }

  private void closeGap(PlaneLivenessRow i, Instant now) throws Exception {
    Map<String, String> attributes = new HashMap<>();
    attributes.put(EvidenceGapEvents.GAP_ID, i.openGapId());
    attributes.put(EvidenceGapEvents.KIND, EvidenceGapEvents.KIND_SILENT);
    attributes.put(EvidenceGapEvents.GAP_PLANE, i.plane());
    attributes.put(EvidenceGapEvents.GAP_PRODUCER_ID, i.producerId());
    attributes.put(EvidenceGapEvents.FROM, i.silentSince().toString());
    attributes.put(EvidenceGapEvents.TO, i.lastSeenAt().toString());
    attributes.put(EvidenceGapEvents.DETECTED_AT, now.toString());
    EvidenceEvent event = EvidenceGapEvents.system(EvidenceGapEvents.GAP_CLOSED, "closed", i.openGapId(), now, attributes, self());
    emitter.emitRequired(event).get(settings.emitTimeout().toMillis(), TimeUnit.MILLISECONDS);
    store.gapClosed(i.plane(), i.producerId(), i.openGapId());
    log.info("Plane {} instance {} heard from again at {}: gap {} closed", i.plane(), i.producerId(), i.lastSeenAt(), i.openGapId());
  }

  private void superviseReader() {
    EventConsumerLoop current = loop;
    if (closed || (current != null && current.state() != EventConsumerLoop.State.FAILED
        && current.state() != EventConsumerLoop.State.STOPPED)) {
      return;
    }
    var config = new ConsumerLoopConfig(settings.consumerGroup(), List.of(TopicCatalog.EVIDENCE_EVENTS),
        TopicCatalog.DEAD_LETTER, settings.pollTimeout(), settings.maxPollRecords(), kafka.deliveryTimeout());
    EventConsumerLoop next = EventConsumerLoop.create(kafka.bootstrapServers(), config, codec, this::record);
    loop = next;
    reader.execute(() -> {
      try {
        next.run();
      } catch (RuntimeException e) {
        // Restarted by the next scan from the last committed offset; replays are idempotent.
        log.warn("Liveness reader stopped, restarted by the next scan: {}", e.toString());
      }
    });
  }

  private void record(ConsumedEvent consumed) {
    if (!(consumed.event() instanceof EvidenceEvent e)) {
      return;
    }
    boolean heartbeat = PlaneLiveness.HEARTBEAT.equals(e.getType());
    if (!heartbeat && !PlaneLiveness.STOPPED.equals(e.getType())) {
      return;
    }
    String producerId = e.getAttributes().get(PlaneLiveness.PRODUCER_ID);
    if (producerId == null || producerId.isBlank()) {
      log.warn("{} at {} names no producerId; ignored", e.getType(), consumed.source());
      return;
    }
    store.seen(e.getProducerPlane().name().toLowerCase(Locale.ROOT), producerId, e.getOccurredAt(), !heartbeat);
  }

  private EvidenceSource self() {
    return new EvidenceSource(Plane.EVIDENCE, emitter.producerId(), BuildInfo.version());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  @PreDestroy
  public void close() {
    closed = true;
    scanner.shutdownNow();
    EventConsumerLoop current = loop;
    if (current != null) {
      current.close();
    }
    reader.shutdownNow();
  }
}

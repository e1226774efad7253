package dev.quartet.evidence;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.evidence.EvidenceClientState;
import dev.quartet.contracts.evidence.EvidenceDelivery;
import dev.quartet.contracts.evidence.EvidenceGapEvents;
import dev.quartet.contracts.evidence.PlaneLiveness;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.EvidenceEmitter;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Silent planes become gaps: a real evidence plane, real heartbeats on the real evidence topic, real PostgreSQL. */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SilentPlaneIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Duration SILENT_AFTER = Duration.ofMillis(1500);
  private final EventCodec codec = EventCodec.standard();
  private final List<EvidenceEvent> seen = new ArrayList<>();
  private Map<String, Object> properties;
  private PlaneProcess plane;
  private String planeId;
  private KafkaConsumer<byte[], byte[]> consumer;
  private KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  void startEvidencePlane(Infrastructure infra) throws Exception {
    infra.database().provisionOwner("quartet_evidence", "evidence-secret", "evidence");
    planeId = infra.unique("evidence-instance");
    properties = new HashMap<>(Map.of(
        "micronaut.server.port", -1,
        "quartet.kafka.bootstrap-servers", infra.kafkaBootstrap(),
        "quartet.kafka.broker-count", 1,
        "quartet.security.admin-token", "silent-plane-it",
        "datasources.evidence.url", infra.jdbcUrl(),
        "datasources.evidence.username", "quartet_evidence",
        "datasources.evidence.password", "evidence-secret"));
    properties.put("quartet.evidence-client.buffer-dir", Files.createTempDirectory("silent-plane-it").toString());
    properties.put("quartet.evidence-client.heartbeat-interval", "300ms");
    properties.put("quartet.evidence.silence.silent-after", SILENT_AFTER.toMillis() + "ms");
    properties.put("quartet.evidence.silence.scan-interval", "200ms");
    // Its own group, so the catch-up of other test classes' heartbeats is this detector's alone.
    properties.put("quartet.evidence.silence.consumer-group", infra.unique("liveness"));
    Map<String, Object> own = new HashMap<>(properties);
    own.put("quartet.evidence-client.producer-id", planeId);
    plane = PlaneProcess.start(EnumSet.of(Plane.EVIDENCE), own);
    producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrap(), "acks", "all"),
        new ByteArraySerializer(), new ByteArraySerializer());
    consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrap(), "enable.auto.commit", false),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.EVIDENCE_EVENTS).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
    if (consumer != null) {
      consumer.close();
    }
    if (producer != null) {
      producer.close();
    }
  }

  @Test
  void aSilentInstanceGetsOneGapThatClosesWhenItIsHeardFromAgain() throws Exception {
    String worker = "worker-" + UUID.randomUUID();
    Instant lastBeat = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    heartbeat(worker, lastBeat.minusMillis(300));
    heartbeat(worker, lastBeat);

    EvidenceEvent gap = awaitOne("the silence gap of " + worker, e -> isGapOf(e, worker, EvidenceGapEvents.GAP));
    Map<String, String> a = gap.getAttributes();
    assertEquals(EvidenceGapEvents.KIND_SILENT, a.get(EvidenceGapEvents.KIND), "gap kind in " + a);
    assertEquals("execution", a.get(EvidenceGapEvents.GAP_PLANE), "silent plane in " + a);
    assertEquals(lastBeat.toString(), a.get(EvidenceGapEvents.FROM), "silent since its last heartbeat, in " + a);
    assertTrue(Instant.parse(a.get(EvidenceGapEvents.DETECTED_AT)).isAfter(lastBeat.plus(SILENT_AFTER)),
        "detected only after the bound, in " + a);
    assertEquals(dev.quartet.schemas.Plane.EVIDENCE, gap.getProducerPlane(), "written by the evidence plane");

    // Several more scans while it stays silent: still one gap.
    long ownBeats = count(e -> isHeartbeatOf(e, planeId));
    await("the evidence plane's own heartbeats go on").atMost(DEADLINE).untilAsserted(() ->
        assertTrue(count(e -> isHeartbeatOf(e, planeId)) >= ownBeats + 4, "own heartbeats since " + ownBeats));
    assertEquals(1, count(e -> isGapOf(e, worker, EvidenceGapEvents.GAP)), "gaps recorded for one silence");

    Instant back = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    heartbeat(worker, back);
    EvidenceEvent closed = awaitOne("the gap of " + worker + " closed", e -> isGapOf(e, worker, EvidenceGapEvents.GAP_CLOSED));
    Map<String, String> c = closed.getAttributes();
    assertEquals(a.get(EvidenceGapEvents.GAP_ID), c.get(EvidenceGapEvents.GAP_ID), "closes the gap it opened");
    assertEquals(lastBeat.toString(), c.get(EvidenceGapEvents.FROM), "from in " + c);
    assertEquals(back.toString(), c.get(EvidenceGapEvents.TO), "to in " + c);
    assertEquals(gap.getCorrelationId(), closed.getCorrelationId(), "gap and closing share a correlation id");
  }

  @Test
  void anOrderlyStopIsNoGap() throws Exception {
    String stopping = "stopping-" + UUID.randomUUID();
    Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    heartbeat(stopping, at);
    send(stopping, PlaneLiveness.STOPPED, at.plusMillis(1));
    String silent = "silent-" + UUID.randomUUID();
    heartbeat(silent, at);
    // The silent twin proves the scans ran past the bound for both.
    awaitOne("the silence gap of " + silent, e -> isGapOf(e, silent, EvidenceGapEvents.GAP));
    assertEquals(0, count(e -> isGapOf(e, stopping, EvidenceGapEvents.GAP)), "gaps for an instance that stopped in order");
  }

  @Test
  void theEvidencePlaneHeartbeatsItselfAndReportsItsEvidenceClient() throws Exception {
    await("own heartbeats").atMost(DEADLINE).untilAsserted(() ->
        assertTrue(count(e -> isHeartbeatOf(e, planeId)) >= 2, "heartbeats of " + planeId));
    HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(plane.url().toString().replaceAll("/$", "") + "/health/readiness"))
        .header("Authorization", "Bearer silent-plane-it").build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(health.body().contains("\"evidenceClient\"") && health.body().contains("\"state\":\"DIRECT\""),
        "evidence client state in readiness: " + health.body());
    HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(plane.url().toString().replaceAll("/$", "") + "/prometheus"))
        .header("Authorization", "Bearer silent-plane-it").build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(metrics.body().contains("quartet_evidence_client_state{plane=\"evidence\"} 0.0")
            && metrics.body().contains("quartet_evidence_client_dropped_events{plane=\"evidence\"} 0.0"),
        "evidence client gauges in " + metrics.body().lines().filter(l -> l.contains("evidence_client")).toList());
  }

  @Test
  void thePlanesEmitterWritesRequiredAndBestEffortEvidenceThroughItsPlaneClient() throws Exception {
    EvidenceEmitter emitter = plane.context().getBean(EvidenceEmitter.class);
    assertEquals(java.util.Set.of(Plane.EVIDENCE), emitter.status().keySet(), "one client per plane of the process");
    assertEquals(TopicCatalog.EVIDENCE_EVENTS, emitter.emitRequired(ownEvent()).get(30, TimeUnit.SECONDS).topic());
    assertEquals(TopicCatalog.EVIDENCE_EVENTS, emitter.emit(ownEvent()).get(30, TimeUnit.SECONDS).topic(), "emit is required delivery");
    assertInstanceOf(EvidenceDelivery.Written.class, emitter.emitBestEffort(ownEvent()).get(30, TimeUnit.SECONDS));
    assertEquals(EvidenceClientState.DIRECT, emitter.status().get(Plane.EVIDENCE).state());
  }

  private static EvidenceEvent ownEvent() {
    return EvidenceEvent.newBuilder()
        .setId(UUID.randomUUID().toString()).setType("emitter.it").setTenant("system").setCorrelationId(UUID.randomUUID().toString())
        .setOutcome("recorded").setOccurredAt(Instant.now()).setApprovals(List.of()).setArtifactDigests(Map.of())
        .setProducerPlane(dev.quartet.schemas.Plane.EVIDENCE).setProducerVersion("it").setAttributes(Map.of()).build();
  }

  @Test
  void aPlaneStoppedInOrderSaysSo() {
    String secondId = "second-" + UUID.randomUUID();
    Map<String, Object> second = new HashMap<>(properties);
    second.put("quartet.evidence-client.producer-id", secondId);
    // Its own detector group and a bound it never reaches: only its heartbeats matter here.
    second.put("quartet.evidence.silence.consumer-group", "second-" + secondId);
    second.put("quartet.evidence.silence.silent-after", "1h");
    try (PlaneProcess p = PlaneProcess.start(EnumSet.of(Plane.EVIDENCE), second)) {
      await("heartbeat of the second plane").atMost(DEADLINE).untilAsserted(() ->
          assertTrue(count(e -> isHeartbeatOf(e, secondId)) >= 1, "heartbeats of " + secondId));
    }
    awaitOne("plane.stopped of " + secondId, e -> e.getType().equals(PlaneLiveness.STOPPED)
        && secondId.equals(e.getAttributes().get(PlaneLiveness.PRODUCER_ID)));
  }

  private void heartbeat(String producerId, Instant at) throws Exception {
    send(producerId, PlaneLiveness.HEARTBEAT, at);
  }

  private void send(String producerId, String type, Instant at) throws Exception {
    EvidenceEvent e = EvidenceEvent.newBuilder()
        .setId(UUID.randomUUID().toString()).setType(type).setTenant("system").setCorrelationId("plane/execution/" + producerId)
        .setOutcome("alive").setOccurredAt(at).setApprovals(List.of()).setArtifactDigests(Map.of())
        .setProducerPlane(dev.quartet.schemas.Plane.EXECUTION).setProducerVersion("it")
        .setAttributes(Map.of(PlaneLiveness.PRODUCER_ID, producerId)).build();
    producer.send(new ProducerRecord<>(TopicCatalog.EVIDENCE_EVENTS, e.getCorrelationId().getBytes(StandardCharsets.UTF_8),
        codec.encode(e))).get(30, TimeUnit.SECONDS);
  }

  private static boolean isGapOf(EvidenceEvent e, String producerId, String type) {
    return e.getType().equals(type) && producerId.equals(e.getAttributes().get(EvidenceGapEvents.GAP_PRODUCER_ID));
  }

  private static boolean isHeartbeatOf(EvidenceEvent e, String producerId) {
    return e.getType().equals(PlaneLiveness.HEARTBEAT) && producerId.equals(e.getAttributes().get(PlaneLiveness.PRODUCER_ID));
  }

  private EvidenceEvent awaitOne(String what, Predicate<EvidenceEvent> wanted) {
    await(what).atMost(DEADLINE).untilAsserted(() -> assertEquals(1, count(wanted), what));
    synchronized (seen) {
      return seen.stream().filter(wanted).findFirst().orElseThrow();
    }
  }

  private long count(Predicate<EvidenceEvent> wanted) {
    synchronized (seen) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        try {
          if (codec.decode(r.value()) instanceof EvidenceEvent e) {
            seen.add(e);
          }
        } catch (Exception undecodable) {
          // Other tests put garbage on the shared topic on purpose; it is no evidence.
        }
      }
      return seen.stream().filter(wanted).count();
    }
  }
}

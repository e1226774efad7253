package dev.quartet.contracts.evidence;

import dev.quartet.contracts.Plane;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.EvidenceGap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evidence topic is unwritable for real: it does not exist (the broker does not auto-create
 * topics), so every write times out waiting for its metadata, until the test creates it. (Raising
 * {@code min.insync.replicas} above the replica count does not work on one broker: Kafka caps the
 * effective minimum ISR at the replica count.)
 */
@QuartetIntegration
class EvidenceClientIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Instant BASE = Instant.parse("2026-03-01T10:00:00Z");
  private static final String MARKER = "plaintext-marker-9c1e";
  private final EventCodec codec = EventCodec.standard();

  @TempDir
  Path bufferDir;

  @Test
  void failsRequiredBuffersBestEffortAndOnRecoveryWritesTheGapBeforeTheBufferInOrder(Infrastructure infra) throws Exception {
    String events = "quartet." + infra.unique("evidence-events");
    String gaps = "quartet." + infra.unique("evidence-gaps");
    createTopics(infra, gaps);  // the events topic does not exist yet, and the broker does not auto-create
    try (Producer<byte[], byte[]> producer = producer(infra);
         EvidenceClient client = EvidenceClient.start(producer, settings(events, gaps, 5), source(), Clock.systemUTC())) {
      ExecutionException refused = assertThrows(ExecutionException.class,
          () -> client.emitRequired(event("required-0", 0)).get(30, TimeUnit.SECONDS), "required evidence on an unwritable topic");
      assertInstanceOf(EvidenceUnavailableException.class, refused.getCause(), "cause of the refusal");
      // BUFFERING, or FLUSHING when the background probe is trying the topic at this very moment.
      assertNotEquals(EvidenceClientState.DIRECT, client.status().state(), "state after the failed write");

      List<EvidenceDelivery> deliveries = new ArrayList<>();
      for (int i = 1; i <= 8; i++) {
        deliveries.add(client.emit(event("best-" + i, i)).get(30, TimeUnit.SECONDS));
      }
      for (int i = 0; i < 8; i++) {
        Class<? extends EvidenceDelivery> expected = i < 5 ? EvidenceDelivery.Buffered.class : EvidenceDelivery.Dropped.class;
        assertEquals(expected, deliveries.get(i).getClass(), "delivery of best-" + (i + 1) + " with room for 5");
      }
      ExecutionException fastRefusal = assertThrows(ExecutionException.class,
          () -> client.emitRequired(event("required-9", 9)).get(1, TimeUnit.SECONDS), "required evidence while buffering");
      assertInstanceOf(EvidenceUnavailableException.class, fastRefusal.getCause());
      EvidenceClientStatus buffering = client.status();
      assertEquals(5, buffering.bufferedEvents(), "buffered events");
      assertEquals(3, buffering.droppedEvents(), "dropped events");
      assertEquals(3, buffering.unreportedLost(), "dropped events not yet stated in a gap");

      List<Path> files = files(bufferDir);
      assertFalse(files.isEmpty(), "the buffer is on disk");
      byte[] encoded = codec.encode(event("best-1", 1));
      for (Path f : files) {
        byte[] content = Files.readAllBytes(f);
        assertEquals(-1, EncryptedEvidenceBufferTest.indexOf(content, MARKER.getBytes(StandardCharsets.UTF_8)),
            "attribute plaintext in " + f.getFileName());
        assertEquals(-1, EncryptedEvidenceBufferTest.indexOf(content, java.util.Arrays.copyOfRange(encoded, 10, 40)),
            "encoded event bytes in " + f.getFileName());
        assertEquals(-1, EncryptedEvidenceBufferTest.indexOf(content, "corr-best-1".getBytes(StandardCharsets.UTF_8)),
            "correlation id in " + f.getFileName());
      }

      createTopics(infra, events);
      await("recovery: gap written, buffer flushed").atMost(DEADLINE).untilAsserted(() -> {
        EvidenceClientStatus s = client.status();
        assertEquals(EvidenceClientState.DIRECT, s.state(), "state after recovery, status " + s);
        assertEquals(0, s.bufferedEvents(), "buffered after recovery");
        assertEquals(1, s.gapsWritten(), "gaps written");
      });
      assertEquals(List.of(), files(bufferDir), "buffer files after the flush");

      List<EvidenceEvent> written = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : read(infra, events, 6)) {
        written.add(codec.decode(r.value(), EvidenceEvent.class));
      }
      EvidenceEvent gap = written.get(0);
      assertEquals(EvidenceGapEvents.GAP, gap.getType(), "first record after recovery is the gap, saw " + written.stream().map(EvidenceEvent::getId).toList());
      Map<String, String> a = gap.getAttributes();
      assertEquals("3", a.get(EvidenceGapEvents.LOST_COUNT), "lost count in " + a);
      assertEquals("5", a.get(EvidenceGapEvents.BUFFERED_COUNT), "buffered count in " + a);
      assertEquals(BASE.plusSeconds(1).toString(), a.get(EvidenceGapEvents.FROM), "from in " + a);
      assertEquals(BASE.plusSeconds(8).toString(), a.get(EvidenceGapEvents.TO), "to in " + a);
      assertEquals("execution", a.get(EvidenceGapEvents.GAP_PLANE));
      assertEquals("worker-it", a.get(EvidenceGapEvents.GAP_PRODUCER_ID));
      assertEquals(EvidenceGapEvents.KIND_UNWRITABLE, a.get(EvidenceGapEvents.KIND));
      assertTrue(a.get(EvidenceGapEvents.REASON).startsWith("evidence topic not writable"), "reason " + a);
      assertEquals(List.of("best-1", "best-2", "best-3", "best-4", "best-5"),
          written.subList(1, 6).stream().map(EvidenceEvent::getId).toList(), "buffered events after the gap, in order");

      EvidenceGap record = codec.decode(read(infra, gaps, 1).get(0).value(), EvidenceGap.class);
      assertEquals(3L, record.getLostCount());
      assertEquals(BASE.plusSeconds(1), record.getFrom());
      assertEquals(BASE.plusSeconds(8), record.getTo());
      assertEquals(a.get(EvidenceGapEvents.DETECTED_AT), record.getDetectedAt().toString(), "same detection time on both topics");

      EvidenceDelivery after = client.emit(event("best-after", 20)).get(30, TimeUnit.SECONDS);
      assertInstanceOf(EvidenceDelivery.Written.class, after, "best effort after recovery goes direct");
      assertEquals(events, client.emitRequired(event("required-after", 21)).get(30, TimeUnit.SECONDS).topic());
    }
  }

  @Test
  void aBufferLeftByAStoppedRunIsReportedAsLostByTheNextOne(Infrastructure infra) throws Exception {
    String events = "quartet." + infra.unique("evidence-events");
    String gaps = "quartet." + infra.unique("evidence-gaps");
    createTopics(infra, gaps);  // the events topic does not exist yet, and the broker does not auto-create
    try (Producer<byte[], byte[]> producer = producer(infra)) {
      EvidenceClient first = EvidenceClient.start(producer, settings(events, gaps, 100), source(), Clock.systemUTC());
      // A best-effort write that fails on the wire (not refused up front) is buffered.
      assertInstanceOf(EvidenceDelivery.Buffered.class, first.emit(event("early-1", 1)).get(30, TimeUnit.SECONDS));
      assertInstanceOf(EvidenceDelivery.Buffered.class, first.emit(event("early-2", 2)).get(30, TimeUnit.SECONDS));
      first.close();
      assertFalse(files(bufferDir).isEmpty(), "an unflushed buffer stays on disk, encrypted");

      try (EvidenceClient second = EvidenceClient.start(producer, settings(events, gaps, 100), source(), Clock.systemUTC())) {
        assertEquals(2, second.status().unreportedLost(), "the previous run's events count as lost");
        assertEquals(List.of(), files(bufferDir), "the unreadable buffer is deleted at start");
        createTopics(infra, events);
        await("the gap of the previous run").atMost(DEADLINE).untilAsserted(() ->
            assertEquals(1, second.status().gapsWritten(), "gaps written, status " + second.status()));
        EvidenceEvent gap = codec.decode(read(infra, events, 1).get(0).value(), EvidenceEvent.class);
        assertEquals("2", gap.getAttributes().get(EvidenceGapEvents.LOST_COUNT), "lost count in " + gap.getAttributes());
        assertEquals(BASE.plusSeconds(1).toString(), gap.getAttributes().get(EvidenceGapEvents.FROM));
        assertEquals(BASE.plusSeconds(2).toString(), gap.getAttributes().get(EvidenceGapEvents.TO));
        assertEquals(EvidenceClientState.DIRECT, second.status().state());
      }
    }
  }

  @Test
  void aTamperedBufferIsStatedAsLostInTheGapAndNotFlushed(Infrastructure infra) throws Exception {
    String events = "quartet." + infra.unique("evidence-events");
    String gaps = "quartet." + infra.unique("evidence-gaps");
    createTopics(infra, gaps);
    try (Producer<byte[], byte[]> producer = producer(infra);
         EvidenceClient client = EvidenceClient.start(producer, settings(events, gaps, 100), source(), Clock.systemUTC())) {
      assertThrows(ExecutionException.class, () -> client.emitRequired(event("required-0", 0)).get(30, TimeUnit.SECONDS));
      for (int i = 1; i <= 3; i++) {
        assertInstanceOf(EvidenceDelivery.Buffered.class, client.emit(event("held-" + i, i)).get(30, TimeUnit.SECONDS));
      }
      Path segment = files(bufferDir).get(0);
      byte[] content = Files.readAllBytes(segment);
      content[content.length - 1] ^= 0x01;  // the last frame's authentication tag
      Files.write(segment, content);

      createTopics(infra, events);
      await("recovery after a tampered buffer").atMost(DEADLINE).untilAsserted(() ->
          assertEquals(EvidenceClientState.DIRECT, client.status().state(), "state, status " + client.status()));
      assertEquals(1, client.status().gapsWritten(), "one gap states the whole loss");
      assertEquals(3, client.status().droppedEvents(), "unreadable events count as dropped");
      EvidenceEvent first = codec.decode(read(infra, events, 1).get(0).value(), EvidenceEvent.class);
      assertEquals(EvidenceGapEvents.GAP, first.getType());
      Map<String, String> a = first.getAttributes();
      assertEquals("3", a.get(EvidenceGapEvents.LOST_COUNT), "lost in " + a);
      assertEquals("0", a.get(EvidenceGapEvents.BUFFERED_COUNT), "buffered in " + a);
      assertTrue(a.get(EvidenceGapEvents.REASON).endsWith("evidence buffer failed authentication"), "reason in " + a);
      assertEquals(BASE.plusSeconds(1).toString(), a.get(EvidenceGapEvents.FROM));
      assertEquals(BASE.plusSeconds(3).toString(), a.get(EvidenceGapEvents.TO));
      assertInstanceOf(EvidenceDelivery.Written.class, client.emit(event("after", 4)).get(30, TimeUnit.SECONDS));
      List<String> ids = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : read(infra, events, 2)) {
        ids.add(codec.decode(r.value(), EvidenceEvent.class).getId());
      }
      assertEquals(List.of(first.getId(), "after"), ids, "nothing of the tampered buffer was written");
    }
  }

  private EvidenceClientSettings settings(String events, String gaps, int maxEvents) {
    return new EvidenceClientSettings(events, gaps, bufferDir, 1024 * 1024, maxEvents, 100_000,
        Duration.ofSeconds(5), Duration.ofMillis(200));
  }

  private static EvidenceSource source() {
    return new EvidenceSource(Plane.EXECUTION, "worker-it", "0.1.0-it");
  }

  private static EvidenceEvent event(String id, int second) {
    return EvidenceEvent.newBuilder().setId(id).setType("task.succeeded").setTenant("default")
        .setCorrelationId("corr-" + id).setApprovals(List.of()).setArtifactDigests(Map.of()).setOutcome("succeeded")
        .setOccurredAt(BASE.plusSeconds(second)).setProducerPlane(dev.quartet.schemas.Plane.EXECUTION)
        .setProducerVersion("0.1.0").setAttributes(Map.of("note", MARKER)).build();
  }

  private static Producer<byte[], byte[]> producer(Infrastructure infra) {
    // Short timeouts so a write to a missing topic gives up within a second, as a plane's would within its bound.
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 0,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000), new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static void createTopics(Infrastructure infra, String... names) throws Exception {
    try (Admin admin = admin(infra)) {
      admin.createTopics(Stream.of(names).map(n -> new NewTopic(n, 1, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static Admin admin(Infrastructure infra) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()));
  }

  private static List<ConsumerRecord<byte[], byte[]>> read(Infrastructure infra, String topic, int atLeast) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      await("records on " + topic).atMost(DEADLINE).untilAsserted(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        assertTrue(records.size() >= atLeast, "at least " + atLeast + " records on " + topic + ", saw " + records.size());
      });
    }
    return records;
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}

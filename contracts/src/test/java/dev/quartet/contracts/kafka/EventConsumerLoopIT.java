package dev.quartet.contracts.kafka;

import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuartetIntegration
class EventConsumerLoopIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private final EventCodec codec = EventCodec.standard();

  @Test
  void badRecordsGoToDeadLettersAndTheLoopKeepsRunning(Infrastructure infra) throws Exception {
    String topic = "quartet." + infra.unique("events");
    String dlq = "quartet." + infra.unique("deadletter");
    createTopics(infra, topic, dlq);
    List<byte[]> values = List.of(codec.encode(Events.evidence("e-1")), Events.GARBAGE, Events.UNKNOWN_FINGERPRINT,
        codec.encode(Events.evidence("e-2")));
    publish(infra, topic, values);

    List<ConsumedEvent> handled = new CopyOnWriteArrayList<>();
    String group = infra.unique("group");
    ConsumerLoopConfig config = new ConsumerLoopConfig(group, List.of(topic), dlq, Duration.ofMillis(200), 100, DEADLINE);
    try (EventConsumerLoop loop = EventConsumerLoop.create(infra.kafkaBootstrap(), config, codec, handled::add)) {
      Thread thread = new Thread(loop, "event-consumer-loop-it");
      thread.start();

      await().atMost(DEADLINE).untilAsserted(() -> assertEquals(2, handled.size(), "valid events handled"));
      assertEquals(List.of("e-1", "e-2"),
          handled.stream().map(e -> ((EvidenceEvent) e.event()).getId()).collect(Collectors.toList()));
      assertEquals(List.of(topic + "-0@0", topic + "-0@3"),
          handled.stream().map(ConsumedEvent::source).collect(Collectors.toList()));

      List<ConsumerRecord<byte[], byte[]>> letters = readAll(infra, dlq, 2);
      assertEquals(List.of("NOT_SINGLE_OBJECT_ENCODED", "UNKNOWN_FINGERPRINT"),
          letters.stream().map(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON)).collect(Collectors.toList()));
      assertEquals(List.of(topic + "-0@1", topic + "-0@2"),
          letters.stream().map(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.SOURCE)).collect(Collectors.toList()));
      for (int i = 0; i < letters.size(); i++) {
        ConsumerRecord<byte[], byte[]> letter = letters.get(i);
        assertArrayEquals(key(i + 1), letter.key(), "dead letter keeps the original key");
        assertArrayEquals(values.get(i + 1), letter.value(), "dead letter keeps the original value");
        String error = DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ERROR);
        assertTrue(error != null && !error.isBlank(), "error header set, was " + error);
      }

      await().atMost(DEADLINE).untilAsserted(() -> assertEquals(4L, committed(infra, group, topic), "committed offset"));
      assertEquals(EventConsumerLoop.State.RUNNING, loop.state(), "loop still running after bad data");
      assertTrue(thread.isAlive() && loop.failure().isEmpty(), "loop thread alive, no failure");

      loop.close();
      assertTrue(loop.awaitStop(DEADLINE), "loop stops on close");
      assertEquals(EventConsumerLoop.State.STOPPED, loop.state());
    }
  }

  @Test
  void handlerFailureStopsTheLoopWithoutCommittingTheRecord(Infrastructure infra) throws Exception {
    String topic = "quartet." + infra.unique("events");
    String dlq = "quartet." + infra.unique("deadletter");
    createTopics(infra, topic, dlq);
    publish(infra, topic, List.of(codec.encode(Events.evidence("e-1"))));

    String group = infra.unique("group");
    ConsumerLoopConfig config = new ConsumerLoopConfig(group, List.of(topic), dlq, Duration.ofMillis(200), 100, DEADLINE);
    EventConsumerLoop loop = EventConsumerLoop.create(infra.kafkaBootstrap(), config, codec, e -> {
      throw new IllegalStateException("store unavailable");
    });
    Thread thread = new Thread(loop, "event-consumer-loop-failing-it");
    thread.setUncaughtExceptionHandler((t, e) -> { });  // the failure is asserted through loop.failure()
    thread.start();

    assertTrue(loop.awaitStop(DEADLINE), "loop stops after the handler fails");
    assertEquals(EventConsumerLoop.State.FAILED, loop.state());
    assertEquals(topic + "-0@0", loop.failure().orElseThrow().source().orElseThrow());
    assertEquals(-1L, committed(infra, group, topic), "the failed record's offset is not committed");
  }

  @Test
  void aBatchEndsBeforeItsOffsetsAreCommitted(Infrastructure infra) throws Exception {
    String topic = "quartet." + infra.unique("events");
    String dlq = "quartet." + infra.unique("deadletter");
    createTopics(infra, topic, dlq);
    publish(infra, topic, List.of(codec.encode(Events.evidence("e-1")), codec.encode(Events.evidence("e-2")),
        codec.encode(Events.evidence("e-3"))));

    String group = infra.unique("group");
    List<String> deferred = new ArrayList<>();
    List<String> flushed = new CopyOnWriteArrayList<>();
    List<Long> committedAtFlush = new CopyOnWriteArrayList<>();
    ConsumerLoopConfig config = new ConsumerLoopConfig(group, List.of(topic), dlq, Duration.ofMillis(200), 100, DEADLINE);
    EventHandler batching = new EventHandler() {
      @Override
      public void handle(ConsumedEvent event) {
        deferred.add(((EvidenceEvent) event.event()).getId());
      }

      @Override
      public void endBatch() throws Exception {
        committedAtFlush.add(committed(infra, group, topic));
        flushed.addAll(deferred);
        deferred.clear();
      }
    };
    try (EventConsumerLoop loop = EventConsumerLoop.create(infra.kafkaBootstrap(), config, codec, batching)) {
      new Thread(loop, "event-consumer-loop-batch-it").start();
      await().atMost(DEADLINE).untilAsserted(() -> assertEquals(3L, committed(infra, group, topic), "committed offset"));
      assertEquals(List.of("e-1", "e-2", "e-3"), flushed, "every event reached endBatch, in order");
      assertEquals(-1L, committedAtFlush.get(0), "the first batch ends before anything is committed");
    }
  }

  @Test
  void aSupervisedLoopEndsBatchesToo(Infrastructure infra) throws Exception {
    String topic = "quartet." + infra.unique("events");
    String dlq = "quartet." + infra.unique("deadletter");
    createTopics(infra, topic, dlq);
    publish(infra, topic, List.of(codec.encode(Events.evidence("e-1")), codec.encode(Events.evidence("e-2"))));

    List<String> deferred = new ArrayList<>();
    List<String> flushed = new CopyOnWriteArrayList<>();
    ConsumerLoopConfig config = new ConsumerLoopConfig(infra.unique("group"), List.of(topic), dlq, Duration.ofMillis(200),
        100, DEADLINE);
    try (SupervisedConsumerLoop loop = SupervisedConsumerLoop.start("supervised-batch-it", infra.kafkaBootstrap(), config,
        codec, new EventHandler() {
          @Override
          public void handle(ConsumedEvent event) {
            deferred.add(((EvidenceEvent) event.event()).getId());
          }

          @Override
          public void endBatch() {
            flushed.addAll(deferred);
            deferred.clear();
          }
        }, Duration.ofSeconds(1))) {
      await().atMost(DEADLINE).untilAsserted(() -> assertEquals(List.of("e-1", "e-2"), flushed, "batches ended"));
    }
  }

  @Test
  void aFailedBatchEndCommitsNoneOfTheBatch(Infrastructure infra) throws Exception {
    String topic = "quartet." + infra.unique("events");
    String dlq = "quartet." + infra.unique("deadletter");
    createTopics(infra, topic, dlq);
    publish(infra, topic, List.of(codec.encode(Events.evidence("e-1")), codec.encode(Events.evidence("e-2"))));

    String group = infra.unique("group");
    List<String> handled = new CopyOnWriteArrayList<>();
    ConsumerLoopConfig config = new ConsumerLoopConfig(group, List.of(topic), dlq, Duration.ofMillis(200), 100, DEADLINE);
    EventConsumerLoop loop = EventConsumerLoop.create(infra.kafkaBootstrap(), config, codec, new EventHandler() {
      @Override
      public void handle(ConsumedEvent event) {
        handled.add(((EvidenceEvent) event.event()).getId());
      }

      @Override
      public void endBatch() {
        throw new IllegalStateException("store unavailable");
      }
    });
    Thread thread = new Thread(loop, "event-consumer-loop-batch-failing-it");
    thread.setUncaughtExceptionHandler((t, e) -> { });  // the failure is asserted through loop.failure()
    thread.start();

    assertTrue(loop.awaitStop(DEADLINE), "loop stops after the batch fails");
    assertEquals(EventConsumerLoop.State.FAILED, loop.state());
    assertTrue(handled.contains("e-1"), "the batch was handled before it failed: " + handled);
    assertEquals(-1L, committed(infra, group, topic), "none of the failed batch's offsets is committed");
  }

  @Test
  void tombstonesAreDeadLetteredToo(Infrastructure infra) throws Exception {
    String topic = "quartet." + infra.unique("events");
    String dlq = "quartet." + infra.unique("deadletter");
    createTopics(infra, topic, dlq);
    List<byte[]> values = new ArrayList<>();
    values.add(null);
    values.add(codec.encode(Events.evidence("after-null")));
    publish(infra, topic, values);

    List<ConsumedEvent> handled = new CopyOnWriteArrayList<>();
    ConsumerLoopConfig config = new ConsumerLoopConfig(infra.unique("group"), List.of(topic), dlq, Duration.ofMillis(200), 100, DEADLINE);
    try (EventConsumerLoop loop = EventConsumerLoop.create(infra.kafkaBootstrap(), config, codec, handled::add)) {
      new Thread(loop, "event-consumer-loop-null-it").start();
      await().atMost(DEADLINE).untilAsserted(() -> assertEquals(1, handled.size(), "the valid event after the null"));
      List<ConsumerRecord<byte[], byte[]>> letters = readAll(infra, dlq, 1);
      assertEquals("NOT_SINGLE_OBJECT_ENCODED", DeadLetterHeaders.text(letters.get(0).headers(), DeadLetterHeaders.REASON));
    }
  }

  @Test
  void deadLetterThatCannotBeWrittenStopsTheLoopWithoutSkipping(Infrastructure infra) throws Exception {
    String topic = "quartet." + infra.unique("events");
    createTopics(infra, topic);
    publish(infra, topic, List.of(Events.GARBAGE));

    // The broker does not auto-create topics, so a send to a missing dead-letter topic cannot complete.
    String missingDlq = "quartet." + infra.unique("missing-deadletter");
    String group = infra.unique("group");
    ConsumerLoopConfig config = new ConsumerLoopConfig(group, List.of(topic), missingDlq, Duration.ofMillis(200), 100,
        Duration.ofSeconds(2));
    EventConsumerLoop loop = EventConsumerLoop.create(infra.kafkaBootstrap(), config, codec, e -> { });
    Thread thread = new Thread(loop, "event-consumer-loop-dlq-down-it");
    thread.setUncaughtExceptionHandler((t, e) -> { });  // asserted through loop.failure()
    thread.start();

    assertTrue(loop.awaitStop(DEADLINE), "loop stops when a dead letter cannot be written");
    assertEquals(EventConsumerLoop.State.FAILED, loop.state());
    assertEquals(topic + "-0@0", loop.failure().orElseThrow().source().orElseThrow());
    assertEquals(-1L, committed(infra, group, topic), "the undelivered dead letter's record is not committed");
  }

  @Test
  void aLoopClosedBeforeItRunsRefusesToRun(Infrastructure infra) {
    ConsumerLoopConfig config = ConsumerLoopConfig.defaults(infra.unique("group"), List.of("quartet." + infra.unique("events")));
    EventConsumerLoop loop = EventConsumerLoop.create(infra.kafkaBootstrap(), config, codec, e -> { });
    loop.close();
    assertThrows(IllegalStateException.class, loop::run);
  }

  private static byte[] key(int i) {
    return ("key-" + i).getBytes(StandardCharsets.UTF_8);
  }

  private static void createTopics(Infrastructure infra, String... names) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) {
        topics.add(new NewTopic(name, 1, (short) 1));
      }
      admin.createTopics(topics).all().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private static void publish(Infrastructure infra, String topic, List<byte[]> values) throws Exception {
    Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap(),
        ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
             new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < values.size(); i++) {
        // Sequential sends: the test depends on the offsets being 0..n-1 in this order.
        producer.send(new ProducerRecord<>(topic, key(i), values.get(i))).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      }
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(Infrastructure infra, String topic, int expected) {
    Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      await().atMost(DEADLINE).untilAsserted(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        assertEquals(expected, records.size(), "records on " + topic);
      });
    }
    return records;
  }

  private static long committed(Infrastructure infra, String group, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()))) {
      OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(DEADLINE.toSeconds(), TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
      return o == null ? -1L : o.offset();
    }
  }
}

package dev.quartet.contracts.kafka;

import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventConsumerLoopTest {
  private static final String TOPIC = "quartet.test.events";
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
  private static final ConsumerLoopConfig CONFIG = new ConsumerLoopConfig("g", List.of(TOPIC), "quartet.test.dlq",
      Duration.ofMillis(10), 100, Duration.ofSeconds(5));

  private final EventCodec codec = EventCodec.standard();
  private final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();
  // Records commits itself: a closed MockConsumer no longer answers committed().
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
      super.commitSync(offsets, timeout);
      offsets.forEach((tp, o) -> commits.put(tp, o.offset()));
    }
  };
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final List<ConsumedEvent> handled = new CopyOnWriteArrayList<>();
  private EventConsumerLoop loop;

  @AfterEach
  void stop() {
    if (loop != null) {
      loop.close();
    }
  }

  private CompletableFuture<Void> start(EventHandler handler, byte[]... values) {
    consumer.schedulePollTask(() -> {
      consumer.rebalance(List.of(TP));
      consumer.updateBeginningOffsets(Map.of(TP, 0L));
      for (int i = 0; i < values.length; i++) {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, ("k" + i).getBytes(StandardCharsets.UTF_8), values[i]));
      }
    });
    loop = new EventConsumerLoop(consumer, producer, codec, handler, CONFIG);
    return CompletableFuture.runAsync(loop);
  }

  private long committed() {
    return commits.getOrDefault(TP, -1L);
  }

  @Test
  void deadLettersUndecodableRecordsAndKeepsRunning() {
    start(handled::add, codec.encode(Events.evidence("e-1")), Events.GARBAGE, Events.UNKNOWN_FINGERPRINT, null,
        codec.encode(Events.evidence("e-2")));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(5, committed(), "committed offset"));
    assertEquals(List.of("e-1", "e-2"),
        handled.stream().map(e -> ((EvidenceEvent) e.event()).getId()).collect(Collectors.toList()));
    assertEquals(List.of(0L, 4L), handled.stream().map(ConsumedEvent::offset).collect(Collectors.toList()));
    List<ProducerRecord<byte[], byte[]>> letters = producer.history();
    assertEquals(List.of("NOT_SINGLE_OBJECT_ENCODED", "UNKNOWN_FINGERPRINT", "NOT_SINGLE_OBJECT_ENCODED"),
        letters.stream().map(r -> DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON)).collect(Collectors.toList()));
    assertEquals(TOPIC + "-0@1", DeadLetterHeaders.text(letters.get(0).headers(), DeadLetterHeaders.SOURCE));
    assertArrayEquals(Events.GARBAGE, letters.get(0).value());
    assertArrayEquals("k1".getBytes(StandardCharsets.UTF_8), letters.get(0).key());
    assertEquals("quartet.test.dlq", letters.get(0).topic());
    assertEquals(EventConsumerLoop.State.RUNNING, loop.state());
  }

  @Test
  void handlerFailureStopsTheLoopAndIsExposed() {
    IllegalStateException bug = new IllegalStateException("projection broken");
    CompletableFuture<Void> run = start(e -> {
      if (e.offset() == 1) {
        throw bug;
      }
      handled.add(e);
    }, codec.encode(Events.evidence("e-1")), codec.encode(Events.evidence("e-2")), codec.encode(Events.evidence("e-3")));

    CompletionException thrown = assertThrows(CompletionException.class, () -> run.orTimeout(10, TimeUnit.SECONDS).join());
    ConsumerLoopException failure = assertInstanceOf(ConsumerLoopException.class, thrown.getCause());
    assertEquals(bug, failure.getCause());
    assertEquals(TOPIC + "-0@1", failure.source().orElseThrow());
    assertEquals(EventConsumerLoop.State.FAILED, loop.state());
    assertEquals(failure, loop.failure().orElseThrow());
    assertEquals(1, committed(), "the record before the failure is committed, the failing one is not");
    assertEquals(1, handled.size(), "nothing after the failing record is handled");
    assertTrue(consumer.closed() && producer.closed(), "a stopped loop releases its clients");
  }

  @Test
  void deadLetterThatCannotBeWrittenStopsWithoutSkipping() {
    producer.sendException = new KafkaException("broker gone");
    CompletableFuture<Void> run = start(handled::add, Events.GARBAGE);

    await().atMost(Duration.ofSeconds(10)).until(run::isDone);
    ConsumerLoopException failure = loop.failure().orElseThrow();
    assertEquals(TOPIC + "-0@0", failure.source().orElseThrow());
    assertEquals(-1, committed(), "the undelivered dead letter's record is not committed");
  }

  @Test
  void closeStopsARunningLoop() {
    CompletableFuture<Void> run = start(handled::add, codec.encode(Events.evidence("e-1")));
    await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 1);
    loop.close();
    assertTrue(loop.awaitStop(Duration.ofSeconds(5)));
    assertEquals(EventConsumerLoop.State.STOPPED, loop.state());
    assertTrue(loop.failure().isEmpty());
    await().atMost(Duration.ofSeconds(5)).until(run::isDone);
    assertTrue(!run.isCompletedExceptionally() && consumer.closed());
  }

  @Test
  void closedBeforeRunReleasesClientsAndRefusesToRun() {
    loop = new EventConsumerLoop(consumer, producer, codec, handled::add, CONFIG);
    loop.close();
    assertTrue(consumer.closed() && producer.closed());
    assertThrows(IllegalStateException.class, loop::run);
  }

  @Test
  void configRefusesToConsumeItsOwnDeadLetters() {
    assertThrows(IllegalArgumentException.class, () -> new ConsumerLoopConfig("g", List.of("quartet.a", "quartet.dlq"),
        "quartet.dlq", Duration.ofMillis(100), 10, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new ConsumerLoopConfig("g", List.of("quartet.a"),
        "quartet.dlq", Duration.ZERO, 10, Duration.ofSeconds(1)));
  }
}

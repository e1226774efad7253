package dev.quartet.execution;

import dev.quartet.schemas.EventCodec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;


/** Reads topics from the beginning into decoded events, for awaiting what a worker reported. */
final class TopicRecorder implements AutoCloseable {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final EventCodec codec = EventCodec.standard();
  private final List<Object> events = new ArrayList<>();

  TopicRecorder(String bootstrap, List<String> topics) {
    consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "isolation.level", "read_committed",
        "enable.auto.commit", false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    topics.forEach(t -> consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition()))));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Waits (bounded) for the first event of {@code type} matching {@code wanted}; Awaitility polls from its own thread. */
  <T> T awaitFirst(String what, Class<T> type, Predicate<T> wanted) {
    List<T> found = new ArrayList<>();
    org.awaitility.Awaitility.await(what).atMost(DEADLINE).until(() -> {
      poll();
      matching(type, wanted).stream().findFirst().ifPresent(found::add);
      return !found.isEmpty();
    });
    return found.get(0);
  }

  /** Events of {@code type} matching {@code wanted} read so far. */
  synchronized <T> List<T> matching(Class<T> type, Predicate<T> wanted) {
    return events.stream().filter(type::isInstance).map(type::cast).filter(wanted).toList();
  }

  private synchronized void poll() {
    for (var r : consumer.poll(Duration.ofMillis(200))) {
      try {
        events.add(codec.decode(r.value()));
      } catch (Exception e) {
        // Another test's garbage (dead-letter probes) is not ours to judge.
      }
    }
  }

  @Override
  public synchronized void close() {
    consumer.close();
  }
}

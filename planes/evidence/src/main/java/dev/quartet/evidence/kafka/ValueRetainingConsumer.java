package dev.quartet.evidence.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A byte-array consumer that keeps the raw values of its last poll. The shared consumer loop hands
 * handlers the decoded event only, but a Merkle leaf is the record value's exact bytes; the loop
 * handles exactly the records of its last poll, on its own thread, before polling again, so the
 * bytes of the record being handled are always here. Holds at most {@code max.poll.records} values.
 * Not thread-safe beyond what {@link KafkaConsumer} allows: poll and lookups on the loop's thread.
 */
final class ValueRetainingConsumer extends KafkaConsumer<byte[], byte[]> {
  private record Position(String topic, int partition, long offset) {}

  private final Map<Position, byte[]> lastPoll = new HashMap<>();

  ValueRetainingConsumer(Map<String, Object> properties) {
    super(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
    lastPoll.clear();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      lastPoll.put(new Position(r.topic(), r.partition(), r.offset()), r.value());
    }
    return records;
  }

  /**
   * The value bytes of a record of the last poll (not copied: the loop is done with them).
   *
   * @throws IllegalStateException if that record was not in the last poll
   */
  byte[] value(String topic, int partition, long offset) {
    byte[] value = lastPoll.get(new Position(topic, partition, offset));
    if (value == null) {
      throw new IllegalStateException("no value retained for " + topic + "-" + partition + "@" + offset);
    }
    return value;
  }
}

package dev.quartet.contracts.kafka;

import org.apache.avro.specific.SpecificRecord;

import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded event and where it came from.
 *
 * @param key the record key, or {@code null}; copied, never logged
 * @param value the record value exactly as Kafka holds it (what was decoded); copied, never logged
 * @param event the decoded Avro event, e.g. a {@code dev.quartet.schemas.EvidenceEvent}
 */
public record ConsumedEvent(String topic, int partition, long offset, byte[] key, byte[] value, SpecificRecord event) {
  public ConsumedEvent {
    Objects.requireNonNull(topic, "ConsumedEvent: topic");
    Objects.requireNonNull(event, "ConsumedEvent: event");
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException("ConsumedEvent: partition and offset must be >= 0, were " + partition + ", " + offset);
    }
    key = key == null ? null : key.clone();
    value = Objects.requireNonNull(value, "ConsumedEvent: value").clone();
  }

  /** A copy of the value bytes, e.g. for hashing them as a Merkle leaf. */
  @Override
  public byte[] value() {
    return value.clone();
  }

  /** A copy of the key, or {@code null}. */
  @Override
  public byte[] key() {
    return key == null ? null : key.clone();
  }

  /** {@code topic-partition@offset}, the form logs and dead-letter headers use. */
  public String source() {
    return topic + "-" + partition + "@" + offset;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConsumedEvent && ((ConsumedEvent) o).source().equals(source())
        && Arrays.equals(((ConsumedEvent) o).key, key) && Arrays.equals(((ConsumedEvent) o).value, value)
        && ((ConsumedEvent) o).event.equals(event);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset, Arrays.hashCode(key), Arrays.hashCode(value), event);
  }

  /** Source and event type only: keys and event contents stay out of logs. */
  @Override
  public String toString() {
    return "ConsumedEvent[" + source() + " " + event.getSchema().getFullName() + "]";
  }
}

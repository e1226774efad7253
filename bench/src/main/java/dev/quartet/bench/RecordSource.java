package dev.quartet.bench;

import org.apache.kafka.clients.producer.ProducerRecord;

/** Makes the {@code i}-th record a producer scenario sends; the cost of making it is part of what is measured. */
@FunctionalInterface
public interface RecordSource {
  /** The record to send as number {@code i} (0-based) to {@code topic}. */
  ProducerRecord<byte[], byte[]> next(String topic, long i);
}

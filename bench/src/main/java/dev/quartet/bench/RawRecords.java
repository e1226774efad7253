package dev.quartet.bench;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;

/**
 * Records of plain Kafka baselines: one incompressible value of the record size (reused, as
 * Kafka's own producer-perf-test does) keyed like Quartet keys evidence, by one of
 * {@link #KEY_COUNT} correlation ids, so baseline and Quartet scenarios spread over partitions alike.
 */
final class RawRecords implements RecordSource {
  /** Distinct keys cycled through; enough to use every partition evenly. */
  static final int KEY_COUNT = 1024;
  private static final String[] KEY_STRINGS = new String[KEY_COUNT];
  private static final byte[][] KEYS = new byte[KEY_COUNT][];

  static {
    Random random = new Random(42);
    for (int i = 0; i < KEY_COUNT; i++) {
      KEY_STRINGS[i] = new UUID(random.nextLong(), random.nextLong()).toString();
      KEYS[i] = KEY_STRINGS[i].getBytes(StandardCharsets.UTF_8);
    }
  }

  private final byte[] value;

  RawRecords(int recordSize) {
    value = new byte[recordSize];
    new Random(recordSize).nextBytes(value);
  }

  /** The correlation id of record {@code i}: the key as a string. */
  static String correlationId(long i) {
    return KEY_STRINGS[(int) (i % KEY_COUNT)];
  }

  @Override
  public ProducerRecord<byte[], byte[]> next(String topic, long i) {
    return new ProducerRecord<>(topic, KEYS[(int) (i % KEY_COUNT)], value);
  }
}

package dev.quartet.bench;

/** A bench topic holding {@code records} acknowledged records of {@code recordSize}-byte values, for read-side scenarios. */
public record FilledTopic(String topic, int recordSize, long records) {
  public FilledTopic {
    if (records < 1) {
      throw new IllegalArgumentException("FilledTopic " + topic + ": holds no records");
    }
  }
}

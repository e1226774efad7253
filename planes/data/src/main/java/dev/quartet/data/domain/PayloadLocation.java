package dev.quartet.data.domain;

/** Where a payload's stored bytes are: inside a Kafka record, or in the blob store (claim check). */
public sealed interface PayloadLocation {
  /** A URI naming the location, e.g. {@code kafka:quartet.payloads.records/3@42}. */
  String uri();

  /** Inline: the record at {@code topic-partition@offset} holds the stored bytes. */
  record InlineRecord(String topic, int partition, long offset) implements PayloadLocation {
    public InlineRecord {
      if (topic == null || topic.isBlank() || partition < 0 || offset < 0) {
        throw new IllegalArgumentException("InlineRecord: topic, partition >= 0 and offset >= 0 required");
      }
    }

    @Override
    public String uri() {
      return "kafka:" + topic + "/" + partition + "@" + offset;
    }
  }

  /** Claim check: the blob store holds the stored bytes under {@code key}. */
  record Blob(BlobKey key) implements PayloadLocation {
    public Blob {
      if (key == null) {
        throw new IllegalArgumentException("Blob: key required");
      }
    }

    @Override
    public String uri() {
      return key.uri();
    }
  }
}

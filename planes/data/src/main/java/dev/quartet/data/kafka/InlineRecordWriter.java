package dev.quartet.data.kafka;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.data.domain.Classification;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.PayloadLocation;
import dev.quartet.data.domain.Sha256;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Writes inline payloads to {@link TopicCatalog#PAYLOAD_RECORDS}, keyed by payload id. The value
 * is the stored bytes (an envelope when encrypted); Kafka is their store, found again by offset.
 */
@Singleton
public class InlineRecordWriter {
  private final Producer<byte[], byte[]> producer;

  InlineRecordWriter(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  /** Completes with the record's position once durably acknowledged (acks=all). */
  public CompletableFuture<PayloadLocation.InlineRecord> append(PayloadId id, byte[] stored, Sha256 sha256,
                                                                Classification classification, String keyId) {
    var record = new ProducerRecord<>(TopicCatalog.PAYLOAD_RECORDS, id.toString().getBytes(StandardCharsets.UTF_8), stored);
    PayloadHeaders.put(record.headers(), PayloadHeaders.SHA256, sha256.hex());
    PayloadHeaders.put(record.headers(), PayloadHeaders.CLASSIFICATION, classification.name());
    PayloadHeaders.put(record.headers(), PayloadHeaders.FORMAT, keyId == null ? PayloadHeaders.FORMAT_RAW : PayloadHeaders.FORMAT_ENVELOPE);
    if (keyId != null) {
      PayloadHeaders.put(record.headers(), PayloadHeaders.KEY_ID, keyId);
    }
    var done = new CompletableFuture<PayloadLocation.InlineRecord>();
    producer.send(record, (metadata, error) -> {
      if (error != null) {
        done.completeExceptionally(error);
      } else {
        done.complete(new PayloadLocation.InlineRecord(metadata.topic(), metadata.partition(), metadata.offset()));
      }
    });
    return done;
  }
}

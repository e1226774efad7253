package dev.quartet.runtime;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Sends evidence events to the evidence input topic, keyed by correlation id so one
 * correlation's events stay in order. Never carries payload content: the event type has no
 * field for it.
 */
@Singleton
public class EvidenceEmitter {
  private final Producer<byte[], byte[]> producer;
  private final EventCodec codec = EventCodec.standard();

  EvidenceEmitter(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  /** Completes when the event is durably acknowledged (acks=all), or fails with the cause. */
  public CompletableFuture<RecordMetadata> emit(EvidenceEvent event) {
    var done = new CompletableFuture<RecordMetadata>();
    byte[] key = event.getCorrelationId() == null ? null : event.getCorrelationId().getBytes(StandardCharsets.UTF_8);
    producer.send(new ProducerRecord<>(TopicCatalog.EVIDENCE_EVENTS, key, codec.encode(event)), (metadata, error) -> {
      if (error != null) {
        done.completeExceptionally(error);
      } else {
        done.complete(metadata);
      }
    });
    return done;
  }
}

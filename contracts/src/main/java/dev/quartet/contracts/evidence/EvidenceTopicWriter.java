package dev.quartet.contracts.evidence;

import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.EvidenceGap;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The Kafka side of an {@link EvidenceClient}: bounded encoding, timed sends, gap records. */
final class EvidenceTopicWriter {
  private final Producer<byte[], byte[]> producer;
  private final EvidenceClientSettings settings;
  private final EventCodec codec = EventCodec.standard();

  EvidenceTopicWriter(Producer<byte[], byte[]> producer, EvidenceClientSettings settings) {
    this.producer = producer;
    this.settings = settings;
  }

  /** Sends one record; the future fails with the cause, or after the send timeout. */
  CompletableFuture<RecordMetadata> send(String topic, byte[] key, byte[] value) {
    CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
    try {
      producer.send(new ProducerRecord<>(topic, key, value), (at, error) -> {
        if (error != null) {
          done.completeExceptionally(error);
        } else {
          done.complete(at);
        }
      });
    } catch (RuntimeException e) {
      done.completeExceptionally(e);  // e.g. metadata not available within max.block.ms
    }
    return done.orTimeout(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Single-object encoding of {@code event}; refuses one over the size bound. */
  byte[] encode(EvidenceEvent event) {
    byte[] value = codec.encode(event);
    if (value.length > settings.maxEventBytes()) {
      throw new IllegalArgumentException("evidence " + event.getId() + " encodes to " + value.length
          + " bytes, over the bound of " + settings.maxEventBytes());
    }
    return value;
  }

  /**
   * Writes the gap {@code t} states: the {@code EvidenceGap} record to the gaps topic, then the
   * {@code evidence.gap} event to the events topic, both keyed by the new gap id; returns the id.
   *
   * @throws Exception when either write fails or times out
   */
  String writeGap(OutageTally t, EvidenceSource source, Instant detectedAt) throws Exception {
    EvidenceGap gap = new EvidenceGap(source.avroPlane(), source.producerId(), t.reasonOr("evidence topic not writable"),
        t.dropped(), t.from(), t.to(), detectedAt);
    String gapId = UUID.randomUUID().toString();
    EvidenceEvent event = EvidenceGapEvents.gap(gapId, EvidenceGapEvents.KIND_UNWRITABLE, gap,
        Map.of(EvidenceGapEvents.BUFFERED_COUNT, Long.toString(t.buffered())), source);
    byte[] key = gapId.getBytes(StandardCharsets.UTF_8);
    send(settings.gapsTopic(), key, codec.encode(gap)).get();
    send(settings.eventsTopic(), key, codec.encode(event)).get();
    return gapId;
  }

  /** The record key: the correlation id's bytes. */
  static byte[] key(EvidenceEvent event) {
    return event.getCorrelationId() == null ? null : event.getCorrelationId().getBytes(StandardCharsets.UTF_8);
  }
}

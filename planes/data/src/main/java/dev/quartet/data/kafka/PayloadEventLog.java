package dev.quartet.data.kafka;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.PayloadTooLargeException;
import dev.quartet.data.domain.StoredPayload;
import dev.quartet.schemas.Classification;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.PayloadQuarantined;
import dev.quartet.schemas.PayloadRef;
import dev.quartet.schemas.PayloadRejected;
import dev.quartet.schemas.PayloadStored;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Writes payload events to {@link TopicCatalog#PAYLOAD_EVENTS}, keyed by payload reference.
 * References only, never content. {@code PayloadStored} records also carry the location header,
 * so the payload index can be rebuilt from this topic.
 */
@Singleton
public class PayloadEventLog {
  private final Producer<byte[], byte[]> producer;
  private final EventCodec codec = EventCodec.standard();

  PayloadEventLog(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  /** Records that {@code p} was stored completely. */
  public CompletableFuture<RecordMetadata> stored(StoredPayload p) {
    PayloadStored event = PayloadStored.newBuilder()
        .setRef(ref(p))
        .setRoute(p.route())
        .setInline(p.inline())
        .setStoredBy(p.storedBy())
        .setStoredAt(p.storedAt())
        .build();
    var record = new ProducerRecord<>(TopicCatalog.PAYLOAD_EVENTS, key(p.id()), codec.encode(event));
    PayloadHeaders.put(record.headers(), PayloadHeaders.LOCATION, p.location().uri());
    if (p.tenant() != null) {
      // The index is rebuilt from this topic, and the owner decides who may see the payload.
      PayloadHeaders.put(record.headers(), PayloadHeaders.TENANT, p.tenant());
    }
    return send(record);
  }

  /** Records that upload {@code id} was refused for breaking a size limit; nothing was stored. */
  public CompletableFuture<RecordMetadata> rejected(PayloadId id, String route, PayloadTooLargeException limit, Instant at) {
    PayloadRejected event = PayloadRejected.newBuilder()
        .setRef(null)
        .setRoute(route)
        .setSize(limit.seen())
        .setLimit(limit.limit())
        .setLimitName(limit.limitName())
        .setReason(limit.getMessage())
        .setRejectedAt(at)
        .build();
    return send(new ProducerRecord<>(TopicCatalog.PAYLOAD_EVENTS, key(id), codec.encode(event)));
  }

  /** Records that {@code p} broke its route's rule and is held in quarantine. */
  public CompletableFuture<RecordMetadata> quarantined(StoredPayload p) {
    PayloadQuarantined event = PayloadQuarantined.newBuilder()
        .setRef(ref(p))
        .setRoute(p.route())
        .setReason(p.quarantine().reason())
        .setQuarantinedAt(p.quarantine().quarantinedAt())
        .build();
    return send(new ProducerRecord<>(TopicCatalog.PAYLOAD_EVENTS, key(p.id()), codec.encode(event)));
  }

  static PayloadRef ref(StoredPayload p) {
    return PayloadRef.newBuilder()
        .setUri(p.id().ref())
        .setSha256(p.sha256().hex())
        .setSize(p.size())
        .setClassification(Classification.valueOf(p.classification().name()))
        .setEncryptionKeyId(p.keyId())
        .build();
  }

  private static byte[] key(PayloadId id) {
    return id.ref().getBytes(StandardCharsets.UTF_8);
  }

  private CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
    var done = new CompletableFuture<RecordMetadata>();
    producer.send(record, (metadata, error) -> {
      if (error != null) {
        done.completeExceptionally(error);
      } else {
        done.complete(metadata);
      }
    });
    return done;
  }
}

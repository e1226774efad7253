package dev.quartet.control.kafka;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.control.domain.ConfigSnapshot;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.runtime.TopicBootstrap;
import dev.quartet.schemas.ConfigSnapshotPublished;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Writes accepted snapshots to the config topic — the system of record — together with their
 * evidence event, in one Kafka transaction: either both are visible to read_committed readers
 * or neither is. Keyed by scope, so one scope's versions stay in order on one partition.
 */
@Singleton
public class SnapshotLog {
  private final EventCodec codec = EventCodec.standard();
  private final KafkaSettings kafka;
  private KafkaProducer<byte[], byte[]> producer;

  SnapshotLog(KafkaSettings kafka, TopicBootstrap topics) {
    this.kafka = kafka;
  }

  /**
   * Appends the snapshot and its evidence atomically and waits for the commit.
   *
   * @throws IllegalStateException when Kafka did not commit within the delivery timeout
   */
  public synchronized void append(ConfigSnapshot s, DsseEnvelope envelope, Instant publishedAt, EvidenceEvent evidence) {
    ConfigSnapshotPublished event = ConfigSnapshotPublished.newBuilder()
        .setScope(s.scope().toString())
        .setVersion(s.version())
        .setDigest(s.digest())
        .setParentDigest(s.parent())
        .setIssuedAt(s.issuedAt() == null ? publishedAt : s.issuedAt())
        .setExpiresAt(s.expiresAt())
        .setEnvelope(java.nio.ByteBuffer.wrap(envelope.toJson()))
        .build();
    byte[] key = s.scope().toString().getBytes(StandardCharsets.UTF_8);
    try {
      if (producer == null) {
        // Created on first use: initTransactions waits for the transaction coordinator, which a
        // fresh cluster creates lazily; a failure here must not fail the plane's start-up.
        producer = newProducer();
      }
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(TopicCatalog.CONFIG_SNAPSHOTS, key, codec.encode(event)));
      producer.send(new ProducerRecord<>(TopicCatalog.EVIDENCE_EVENTS,
          evidence.getCorrelationId().getBytes(StandardCharsets.UTF_8), codec.encode(evidence)));
      producer.commitTransaction();
    } catch (RuntimeException e) {
      // A producer whose transaction failed or timed out is not reused: abort may itself hang or
      // be fenced, so close it and start a fresh one for the next publish.
      if (producer != null) {
        producer.close(Duration.ZERO);
        producer = null;
      }
      throw new SnapshotLogUnavailable("config topic did not commit " + s, e);
    }
  }

  private KafkaProducer<byte[], byte[]> newProducer() {
    KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "quartet-control-" + UUID.randomUUID(),
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) kafka.deliveryTimeout().toMillis(),
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) kafka.deliveryTimeout().toMillis(),
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) kafka.requestTimeout().toMillis(),
        ProducerConfig.MAX_BLOCK_MS_CONFIG, kafka.deliveryTimeout().toMillis()),
        new ByteArraySerializer(), new ByteArraySerializer());
    p.initTransactions();
    return p;
  }

  /** Kafka did not commit the snapshot; nothing was published and the caller may retry. */
  public static final class SnapshotLogUnavailable extends RuntimeException {
    SnapshotLogUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @PreDestroy
  synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}

package dev.quartet.evidence;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceCheckpoint;
import dev.quartet.schemas.EvidenceEvent;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What an outside party does with the evidence topics: emit events, read checkpoints, rebuild a partition's leaves. */
final class EvidenceTopics {
  private static final EventCodec CODEC = EventCodec.standard();

  /** One emitted event: its id, where Kafka put it, and the RFC 9162 hash of its exact bytes. */
  record Sent(String id, int partition, long offset, byte[] leafHash) {}

  private final String bootstrap;

  EvidenceTopics(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** Emits {@code count} evidence events keyed by {@code correlation} (so all land on one partition). */
  List<Sent> emit(String correlation, int count) throws Exception {
    List<Sent> sent = new ArrayList<>();
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < count; i++) {
        EvidenceEvent e = EvidenceEvent.newBuilder()
            .setId(UUID.randomUUID().toString()).setType("merkle.it").setTenant("it").setCorrelationId(correlation)
            .setOutcome("RECORDED").setOccurredAt(Instant.now()).setApprovals(List.of()).setArtifactDigests(Map.of())
            .setProducerPlane(dev.quartet.schemas.Plane.EVIDENCE).setProducerVersion("it")
            .setAttributes(Map.of("n", Integer.toString(i))).build();
        byte[] value = CODEC.encode(e);
        RecordMetadata at = producer.send(new ProducerRecord<>(TopicCatalog.EVIDENCE_EVENTS,
            correlation.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
        sent.add(new Sent(e.getId(), at.partition(), at.offset(), LeafHash.of(value)));
      }
    }
    return sent;
  }

  /** Emits one given event keyed by {@code key}; returns where it landed and its leaf hash. */
  Sent send(String key, EvidenceEvent e) throws Exception {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      byte[] value = CODEC.encode(e);
      RecordMetadata at = producer.send(new ProducerRecord<>(TopicCatalog.EVIDENCE_EVENTS,
          key.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
      return new Sent(e.getId(), at.partition(), at.offset(), LeafHash.of(value));
    }
  }

  /** A plain event of {@code correlation} that occurred at {@code at}, to adjust before {@link #send}. */
  static EvidenceEvent.Builder event(String correlation, Instant at) {
    return EvidenceEvent.newBuilder()
        .setId(UUID.randomUUID().toString()).setType("lifecycle.it").setTenant("it").setCorrelationId(correlation)
        .setOutcome("RECORDED").setOccurredAt(at).setApprovals(List.of()).setArtifactDigests(Map.of())
        .setProducerPlane(dev.quartet.schemas.Plane.EVIDENCE).setProducerVersion("it").setAttributes(Map.of());
  }

  /** The exact record value at {@code partition}@{@code offset}. */
  byte[] valueAt(int partition, long offset, Duration within) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      TopicPartition tp = new TopicPartition(TopicCatalog.EVIDENCE_EVENTS, partition);
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() == offset) {
            return r.value();
          }
        }
      }
    }
    throw new AssertionError("no record at " + partition + "@" + offset + " within " + within);
  }

  /** Puts bytes no codec can decode on the partition of {@code correlation}: the plane dead-letters them. */
  void emitUndecodable(String correlation) throws Exception {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      byte[] key = correlation.getBytes(StandardCharsets.UTF_8);
      producer.send(new ProducerRecord<>(TopicCatalog.EVIDENCE_EVENTS, key, "not evidence".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The leaf hashes of the first {@code size} leaves of a partition, rebuilt from Kafka alone by
   * the documented rule: every record that decodes as an EvidenceEvent, in offset order.
   */
  List<byte[]> leaves(int partition, long size, Duration within) {
    List<byte[]> leaves = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      TopicPartition tp = new TopicPartition(TopicCatalog.EVIDENCE_EVENTS, partition);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + within.toNanos();
      while (leaves.size() < size && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (leaves.size() < size && decode(r.value()).filter(EvidenceEvent.class::isInstance).isPresent()) {
            leaves.add(LeafHash.of(r.value()));
          }
        }
      }
    }
    return leaves;
  }

  /** The first published checkpoint record matching {@code wanted}, read from the beginning of the checkpoints topic. */
  Optional<EvidenceCheckpoint> checkpoint(Predicate<EvidenceCheckpoint> wanted, Duration within) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      TopicPartition tp = new TopicPartition(TopicCatalog.EVIDENCE_CHECKPOINTS, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Optional<EvidenceCheckpoint> cp = decode(r.value()).filter(EvidenceCheckpoint.class::isInstance)
              .map(EvidenceCheckpoint.class::cast).filter(wanted);
          if (cp.isPresent()) {
            return cp;
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Moves a stopped consumer group back to the start of every partition it committed, so all is redelivered. */
  void rewind(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
      committed.keySet().forEach(tp -> start.put(tp, new OffsetAndMetadata(0)));
      admin.alterConsumerGroupOffsets(group, start).all().get(30, TimeUnit.SECONDS);
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", false),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static Optional<SpecificRecord> decode(byte[] value) {
    try {
      return Optional.of(CODEC.decode(value));
    } catch (Exception e) {
      return Optional.empty();  // dead-lettered by the plane too: not a leaf
    }
  }
}

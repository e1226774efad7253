package dev.quartet.execution.kafka;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.KeyId;
import dev.quartet.contracts.trust.LeaseToken;
import dev.quartet.schemas.ConfigSnapshotPublished;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.LeaseTokenIssued;
import dev.quartet.schemas.UndecodableEventException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A worker's view of the config and lease-token topics: every partition, from the beginning, with
 * no consumer group. A worker holds its config state in memory and rebuilds it by re-verifying
 * the whole chain on every start, so it commits nothing and needs no group (snapshots are a
 * broadcast: every worker reads every one). Records of other scopes are skipped unread; records
 * that cannot be decoded are skipped with a warning, not dead-lettered, since every worker would
 * dead-letter the same record.
 */
final class ConfigFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigFeed.class);
  private static final List<String> TOPICS = List.of(TopicCatalog.CONFIG_SNAPSHOTS, TopicCatalog.CONFIG_LEASE_TOKENS);

  /** One record for this worker's scope, decoded. */
  sealed interface Input {
    /** {@code topic-partition@offset} of the record, for logs. */
    String source();
  }

  /** A published snapshot: the envelope exactly as signed, and the version its record claims (unsigned). */
  record SnapshotInput(byte[] envelope, long claimedVersion, String source) implements Input {}

  /** A lease token as issued (its signature is checked by the domain). */
  record TokenInput(LeaseToken token, String source) implements Input {}

  /** A lease-token record for this scope that is not even a token (bad key id, digest or times). */
  record UnreadableToken(long headVersion, String detail, String source) implements Input {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final EventCodec codec = EventCodec.standard();
  private final String scope;
  private final Map<TopicPartition, Long> catchUpTo;
  private boolean caughtUp;

  private ConfigFeed(KafkaConsumer<byte[], byte[]> consumer, String scope, Map<TopicPartition, Long> catchUpTo) {
    this.consumer = consumer;
    this.scope = scope;
    this.catchUpTo = catchUpTo;
  }

  /**
   * Assigns every partition of both topics, positioned at {@code resume} where known and at the
   * beginning elsewhere, and notes their end offsets: the feed has caught up once it reaches them.
   *
   * @throws IllegalStateException if a topic does not exist (yet)
   */
  static ConfigFeed open(Map<String, Object> consumerProperties, String scope, Map<TopicPartition, Long> resume,
                         Duration timeout) {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : TOPICS) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException("topic " + topic + " does not exist yet");
        }
        infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      }
      consumer.assign(partitions);
      List<TopicPartition> fromStart = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        Long next = resume.get(tp);
        if (next == null) {
          fromStart.add(tp);
        } else {
          consumer.seek(tp, next);
        }
      }
      consumer.seekToBeginning(fromStart);
      return new ConfigFeed(consumer, scope, new HashMap<>(consumer.endOffsets(partitions, timeout)));
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
  }

  /** Polls once (at most {@code timeout}); {@code positions} is advanced past every record returned or skipped. */
  List<Input> poll(Duration timeout, Map<TopicPartition, Long> positions) {
    List<Input> inputs = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
      positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
      String source = r.topic() + "-" + r.partition() + "@" + r.offset();
      SpecificRecord event;
      try {
        event = codec.decode(r.value());
      } catch (UndecodableEventException e) {
        log.warn("Skipping undecodable record {}: {}", source, e.reason());
        continue;
      } catch (RuntimeException e) {
        // A decoder crash on arbitrary bytes is still bad data: one record must not stop the worker.
        log.warn("Skipping corrupt record {}: {}", source, e.getClass().getSimpleName());
        continue;
      }
      if (event instanceof ConfigSnapshotPublished p && scope.equals(p.getScope())) {
        inputs.add(new SnapshotInput(bytes(p.getEnvelope()), p.getVersion(), source));
      } else if (event instanceof LeaseTokenIssued t && scope.equals(t.getScope())) {
        inputs.add(token(t, source));
      }
    }
    return inputs;
  }

  /** True once every partition's position reached its end offset at open (stays true). */
  boolean caughtUp() {
    if (!caughtUp) {
      caughtUp = catchUpTo.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
    return caughtUp;
  }

  /** Interrupts a blocked poll from another thread. */
  void wakeup() {
    consumer.wakeup();
  }

  private static Input token(LeaseTokenIssued t, String source) {
    try {
      return new TokenInput(new LeaseToken(t.getScope(), t.getHeadVersion(), t.getHeadDigest(), t.getIssuedAt(),
          t.getExpiresAt(), new KeyId(t.getKeyId()), bytes(t.getSignature())), source);
    } catch (IllegalArgumentException | NullPointerException e) {
      return new UnreadableToken(t.getHeadVersion(), e.getMessage(), source);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}

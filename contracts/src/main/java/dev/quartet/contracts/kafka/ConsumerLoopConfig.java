package dev.quartet.contracts.kafka;

import dev.quartet.contracts.topics.TopicCatalog;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one {@link EventConsumerLoop}.
 *
 * @param groupId the consumer group; one per logical consumer, shared by its instances
 * @param topics the topics to subscribe to
 * @param deadLetterTopic where undecodable records go (normally {@link TopicCatalog#DEAD_LETTER})
 * @param pollTimeout the longest one poll blocks; also bounds how long a close waits for the poll
 * @param maxPollRecords records per poll ({@code max.poll.records}): the most handled before a commit
 * @param operationTimeout bounds each dead-letter send, offset commit and the close
 */
public record ConsumerLoopConfig(String groupId, List<String> topics, String deadLetterTopic, Duration pollTimeout,
                                 int maxPollRecords, Duration operationTimeout) {
  /** Default poll timeout: short enough for prompt shutdown, long enough not to spin. */
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
  /** Default {@code max.poll.records}, Kafka's own default. */
  public static final int DEFAULT_MAX_POLL_RECORDS = 500;
  /** Default bound on each send, commit and close. */
  public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(30);

  public ConsumerLoopConfig {
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException("ConsumerLoopConfig: groupId must not be blank");
    }
    topics = List.copyOf(Objects.requireNonNull(topics, "ConsumerLoopConfig: topics"));
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("ConsumerLoopConfig: at least one topic");
    }
    if (deadLetterTopic == null || deadLetterTopic.isBlank() || topics.contains(deadLetterTopic)) {
      // Consuming the dead-letter topic with a dead-lettering loop would cycle bad records forever.
      throw new IllegalArgumentException("ConsumerLoopConfig: dead-letter topic must be set and not be consumed, was "
          + deadLetterTopic);
    }
    requirePositive(pollTimeout, "pollTimeout");
    requirePositive(operationTimeout, "operationTimeout");
    if (maxPollRecords < 1) {
      throw new IllegalArgumentException("ConsumerLoopConfig: maxPollRecords must be >= 1, was " + maxPollRecords);
    }
  }

  /** The defaults above, dead-lettering to {@link TopicCatalog#DEAD_LETTER}. */
  public static ConsumerLoopConfig defaults(String groupId, List<String> topics) {
    return new ConsumerLoopConfig(groupId, topics, TopicCatalog.DEAD_LETTER, DEFAULT_POLL_TIMEOUT,
        DEFAULT_MAX_POLL_RECORDS, DEFAULT_OPERATION_TIMEOUT);
  }

  /**
   * Consumer settings: {@code base} (bootstrap, security) overridden by the loop's own — group,
   * manual commits, earliest reset (a new group must see every event) and max poll records.
   */
  public Map<String, Object> consumerProperties(Map<String, Object> base) {
    Map<String, Object> props = new HashMap<>(base);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Records of aborted transactions never happened: a loop must not act on them.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    return props;
  }

  /** Dead-letter producer settings: {@code base} plus acks=all, idempotence and a bounded block. */
  public Map<String, Object> producerProperties(Map<String, Object> base) {
    Map<String, Object> props = new HashMap<>(base);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, operationTimeout.toMillis());
    return props;
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, "ConsumerLoopConfig: " + name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("ConsumerLoopConfig: " + name + " must be positive, was " + d);
    }
  }
}

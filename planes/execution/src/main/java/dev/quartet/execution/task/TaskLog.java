package dev.quartet.execution.task;

import dev.quartet.runtime.KafkaSettings;
import dev.quartet.runtime.TopicBootstrap;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The execution plane API's writer: a submission, an approval or a cancel is its task records and
 * their evidence in one Kafka transaction, so a reader sees all of them or none.
 */
@Singleton
public class TaskLog implements AutoCloseable {
  private final KafkaSettings kafka;
  private final String transactionalId = "quartet-execution-api-" + UUID.randomUUID();
  private KafkaProducer<byte[], byte[]> producer;

  /** Takes {@link TopicBootstrap} so nothing is written before the topics exist. */
  TaskLog(KafkaSettings kafka, TopicBootstrap topics) {
    this.kafka = kafka;
  }

  /**
   * Writes {@code records} atomically and waits for the commit.
   *
   * @throws TaskLogUnavailable when Kafka did not commit; nothing of it is visible then
   */
  public synchronized void append(List<ProducerRecord<byte[], byte[]>> records) {
    try {
      if (producer == null) {
        producer = newProducer();
      }
      producer.beginTransaction();
      records.forEach(producer::send);
      producer.commitTransaction();
    } catch (RuntimeException e) {
      // Never reuse a producer whose transaction failed or timed out: close it, start afresh next time.
      if (producer != null) {
        producer.close(Duration.ZERO);
        producer = null;
      }
      throw new TaskLogUnavailable("task topics did not commit: " + e.getClass().getSimpleName(), e);
    }
  }

  private KafkaProducer<byte[], byte[]> newProducer() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) kafka.deliveryTimeout().toMillis());
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(kafka.requestTimeout().toMillis(), kafka.deliveryTimeout().toMillis()));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, kafka.requestTimeout().toMillis());
    KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    try {
      p.initTransactions();
    } catch (RuntimeException e) {
      p.close(Duration.ZERO);
      throw e;
    }
    return p;
  }

  @Override
  @PreDestroy
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }

  /** Kafka did not take the write; the caller answers 503 and the client may retry. */
  public static final class TaskLogUnavailable extends RuntimeException {
    TaskLogUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

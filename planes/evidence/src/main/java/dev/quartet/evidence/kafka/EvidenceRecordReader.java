package dev.quartet.evidence.kafka;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.evidence.config.RecordReadSettings;
import dev.quartet.evidence.domain.EvidenceRecords;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.runtime.OverloadedException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads single evidence records back from {@code quartet.evidence.events} by position, with a
 * small pool of assign-mode consumers (no group, no commits): at most
 * {@code quartet.evidence.record-read.max-concurrent} reads at once, each bounded in time.
 */
@Singleton
public class EvidenceRecordReader implements EvidenceRecords, AutoCloseable {
  private final KafkaSettings kafka;
  private final RecordReadSettings settings;
  private final Semaphore permits;
  private final BlockingQueue<Consumer<byte[], byte[]>> idle;
  private final AtomicInteger created = new AtomicInteger();
  private volatile boolean closed;

  EvidenceRecordReader(KafkaSettings kafka, RecordReadSettings settings) {
    this.kafka = kafka;
    this.settings = settings;
    this.permits = new Semaphore(settings.maxConcurrent());
    this.idle = new ArrayBlockingQueue<>(settings.maxConcurrent());
  }

  @Override
  public Optional<byte[]> valueAt(int partition, long offset) {
    if (!permits.tryAcquire()) {
      throw new OverloadedException("evidence record reads (" + settings.maxConcurrent() + ")", Duration.ofSeconds(1));
    }
    try {
      Consumer<byte[], byte[]> consumer = idle.poll();
      if (consumer == null) {
        consumer = newConsumer();
      }
      boolean healthy = false;
      try {
        Optional<byte[]> value = read(consumer, new TopicPartition(TopicCatalog.EVIDENCE_EVENTS, partition), offset);
        healthy = true;
        return value;
      } finally {
        // A consumer that failed mid-read may hold a broken connection: drop it, the next read makes a new one.
        if (!healthy || closed || !idle.offer(consumer)) {
          consumer.close(Duration.ZERO);
        }
      }
    } finally {
      permits.release();
    }
  }

  private Optional<byte[]> read(Consumer<byte[], byte[]> consumer, TopicPartition tp, long offset) {
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    try {
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("no record at " + tp + "@" + offset + " within " + settings.timeout());
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofNanos(left)).records(tp)) {
          if (r.offset() == offset) {
            return Optional.ofNullable(r.value());
          }
          if (r.offset() > offset) {
            return Optional.empty(); // the offset is gone (retention or a truncated log)
          }
        }
      }
    } catch (KafkaException e) {
      throw new IllegalStateException("cannot read " + tp + "@" + offset, e);
    } finally {
      consumer.unsubscribe();
    }
  }

  private Consumer<byte[], byte[]> newConsumer() {
    int timeoutMs = (int) settings.timeout().toMillis();
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        // Like the indexer: only committed records are leaves, so reads must not see aborted ones.
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16,
        ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
        // Distinct client ids: Kafka registers a metrics bean per id.
        ConsumerConfig.CLIENT_ID_CONFIG, "quartet-evidence-record-reader-" + ProcessHandle.current().pid() + "-"
            + created.incrementAndGet()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  @PreDestroy
  public void close() {
    closed = true;
    for (Consumer<byte[], byte[]> c = idle.poll(); c != null; c = idle.poll()) {
      c.close(Duration.ZERO);
    }
  }
}

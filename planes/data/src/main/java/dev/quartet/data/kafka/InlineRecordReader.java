package dev.quartet.data.kafka;

import dev.quartet.data.config.RecordReaderSettings;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.PayloadIntegrityException;
import dev.quartet.data.domain.PayloadLocation;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.runtime.OverloadedException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches an inline payload's record by position ({@code assign} + {@code seek}), bounded by a
 * timeout. A fixed pool of consumers (KafkaConsumer is single-threaded) bounds concurrent
 * fetches and the memory they hold; a read that finds none free within its wait gets 429.
 */
@Singleton
public class InlineRecordReader implements AutoCloseable {
  private final RecordReaderSettings settings;
  private final KafkaSettings kafka;
  private final BlockingQueue<Consumer<byte[], byte[]>> idle;
  private final AtomicInteger created = new AtomicInteger();

  InlineRecordReader(RecordReaderSettings settings, KafkaSettings kafka) {
    this.settings = settings;
    this.kafka = kafka;
    this.idle = new ArrayBlockingQueue<>(settings.consumers());
  }

  /** What a fetch found. */
  public sealed interface Fetched {
    /** The record's value and headers' view. */
    record Found(byte[] value, String sha256Header, String formatHeader) implements Fetched {}

    /** The record is gone: past the topic's retention. */
    record Expired(long logStartOffset) implements Fetched {}

    /** Not fetched within the timeout. */
    record TimedOut(Duration after) implements Fetched {}
  }

  /**
   * The record at {@code at}, checked to hold payload {@code id}.
   *
   * @throws PayloadIntegrityException when that position holds another payload's record
   * @throws OverloadedException when every consumer is busy for the configured wait
   */
  public Fetched fetch(PayloadLocation.InlineRecord at, PayloadId id) throws PayloadIntegrityException {
    Consumer<byte[], byte[]> consumer = acquire();
    try {
      return fetchWith(consumer, at, id);
    } finally {
      idle.offer(consumer);
    }
  }

  private Fetched fetchWith(Consumer<byte[], byte[]> consumer, PayloadLocation.InlineRecord at, PayloadId id)
      throws PayloadIntegrityException {
    TopicPartition tp = new TopicPartition(at.topic(), at.partition());
    consumer.assign(List.of(tp));
    consumer.seek(tp, at.offset());
    long deadline = System.nanoTime() + settings.fetchTimeout().toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return new Fetched.TimedOut(settings.fetchTimeout());
      }
      try {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofNanos(left))) {
          if (r.offset() < at.offset()) {
            continue;
          }
          if (r.offset() > at.offset() || !id.toString().equals(keyOf(r))) {
            throw new PayloadIntegrityException("record " + at.uri() + " does not hold payload " + id);
          }
          return new Fetched.Found(r.value(), PayloadHeaders.get(r.headers(), PayloadHeaders.SHA256),
              PayloadHeaders.get(r.headers(), PayloadHeaders.FORMAT));
        }
      } catch (OffsetOutOfRangeException e) {
        Long start = consumer.beginningOffsets(List.of(tp), settings.fetchTimeout()).get(tp);
        return new Fetched.Expired(start == null ? -1 : start);
      }
    }
  }

  private static String keyOf(ConsumerRecord<byte[], byte[]> r) {
    return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
  }

  private Consumer<byte[], byte[]> acquire() {
    Consumer<byte[], byte[]> c = idle.poll();
    if (c != null) {
      return c;
    }
    if (created.incrementAndGet() <= settings.consumers()) {
      return newConsumer();
    }
    created.decrementAndGet();
    try {
      c = idle.poll(settings.acquireTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (c == null) {
      throw new OverloadedException("inline payload readers (" + settings.consumers() + ")", settings.acquireTimeout());
    }
    return c;
  }

  private Consumer<byte[], byte[]> newConsumer() {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.CLIENT_ID_CONFIG, "quartet-data-reader-" + created.get() + "-" + ProcessHandle.current().pid(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        // Fetches go to exact offsets: an offset past retention must surface, not silently jump.
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
        ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) kafka.requestTimeout().toMillis(),
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) kafka.requestTimeout().toMillis()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @PreDestroy
  @Override
  public void close() {
    for (Consumer<byte[], byte[]> c; (c = idle.poll()) != null; ) {
      c.close();
    }
  }
}

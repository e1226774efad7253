package dev.quartet.execution.task;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.TaskCancelRequested;
import dev.quartet.schemas.UndecodableEventException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every cancel request, read by every worker (no consumer group: each worker must see them all,
 * since any of them may hold the task). Starts {@code window} back in time so a request made just
 * before this worker started still counts; remembers at most {@code maxRemembered} task ids.
 */
public final class CancelFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CancelFeed.class);
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final EventCodec codec = EventCodec.standard();
  private final Map<String, TaskCancelRequested> cancelled;
  private final Consumer<TaskCancelRequested> listener;
  private final Duration pollTimeout;
  private final Thread thread;
  private volatile boolean closing;

  /** Starts following the cancel topic; {@code listener} is called on the feed's thread for each request. */
  public CancelFeed(String bootstrapServers, String clientId, Duration window, int maxRemembered, Duration pollTimeout,
                    Clock clock, Consumer<TaskCancelRequested> listener) {
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.CLIENT_ID_CONFIG, clientId,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.cancelled = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, TaskCancelRequested> eldest) {
        return size() > maxRemembered;
      }
    });
    this.listener = listener;
    this.pollTimeout = pollTimeout;
    List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.TASK_COMMANDS).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    Map<TopicPartition, Long> since = new HashMap<>();
    partitions.forEach(p -> since.put(p, clock.millis() - window.toMillis()));
    Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(since);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    for (TopicPartition p : partitions) {
      OffsetAndTimestamp start = starts.get(p);
      consumer.seek(p, start == null ? ends.get(p) : start.offset());
    }
    this.thread = new Thread(this::run, "task-cancels-" + clientId);
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether a cancel request for {@code taskId} has been read. */
  public boolean isCancelled(String taskId) {
    return cancelled.containsKey(taskId);
  }

  /** The request that cancelled {@code taskId}, or null. */
  public TaskCancelRequested request(String taskId) {
    return cancelled.get(taskId);
  }

  private void run() {
    try {
      while (!closing) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pollTimeout)) {
          try {
            if (codec.decode(r.value()) instanceof TaskCancelRequested request) {
              cancelled.put(request.getTaskId(), request);
              listener.accept(request);
            }
          } catch (UndecodableEventException e) {
            log.warn("Skipping an undecodable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("Cancel feed stopped; cancel requests are no longer seen by this worker", e);
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

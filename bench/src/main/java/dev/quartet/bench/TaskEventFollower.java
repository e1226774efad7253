package dev.quartet.bench;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.TaskStateChanged;
import dev.quartet.schemas.UndecodableEventException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads {@code quartet.tasks.events} from its end with {@code read_committed} — what a client of
 * Quartet sees, never a transition of an aborted transaction — and hands every
 * {@code TaskStateChanged} to a {@link TaskTracker}, stamped with the time it was read.
 */
final class TaskEventFollower implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(50);
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TaskTracker tracker;
  private final EventCodec codec = EventCodec.standard();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean closing;

  /** Starts following; every transition committed after this returns is seen. */
  TaskEventFollower(BenchContext ctx, TaskTracker tracker) {
    this.tracker = tracker;
    var config = ctx.consumerConfig("task-events");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(config);
    List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.TASK_EVENTS, ctx.settings().operationTimeout())
        .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Resolve the end offsets now, so transitions of tasks submitted from here on are never skipped.
    partitions.forEach(consumer::position);
    thread = new Thread(this::follow, "bench-task-events");
    thread.setDaemon(true);
    thread.start();
  }

  /** Throws what stopped the follower, if anything did. */
  void check() {
    Exception e = failure.get();
    if (e != null) {
      throw new IllegalStateException("reading " + TopicCatalog.TASK_EVENTS + " failed: " + e, e);
    }
  }

  private void follow() {
    try {
      while (!closing) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          long at = System.nanoTime();
          Object event;
          try {
            event = codec.decode(r.value());
          } catch (UndecodableEventException e) {
            continue;  // not the bench's to judge: the planes dead-letter such records themselves
          }
          if (event instanceof TaskStateChanged t) {
            tracker.transition(t.getTaskId(), t.getTo().name(), at);
          }
        }
      }
    } catch (WakeupException e) {
      if (!closing) {
        failure.compareAndSet(null, e);
      }
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    } finally {
      consumer.close(Duration.ZERO);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    consumer.wakeup();
    thread.join(10_000);
  }
}

package dev.quartet.execution.task;

import dev.quartet.contracts.kafka.ConsumedEvent;
import dev.quartet.contracts.kafka.ConsumerLoopConfig;
import dev.quartet.contracts.kafka.EventConsumerLoop;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.execution.config.TaskApiSettings;
import dev.quartet.execution.store.TaskStore;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.runtime.TopicBootstrap;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.TaskStateChanged;
import dev.quartet.schemas.TaskSubmitted;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects the task topics (read_committed: aborted transactions, e.g. a fenced worker's, never
 * appear) into PostgreSQL for {@code task get|list|watch}. Restarts with a bounded backoff from the
 * last committed offset when it fails.
 */
@Context
public class TaskProjector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskProjector.class);
  private final TaskStore store;
  private final TaskApiSettings settings;
  private final KafkaSettings kafka;
  private final EventCodec codec = EventCodec.standard();
  private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "task-projector");
    t.setDaemon(true);
    return t;
  });
  private volatile EventConsumerLoop loop;
  private volatile boolean closed;
  private volatile int failures;

  TaskProjector(TaskStore store, TaskApiSettings settings, KafkaSettings kafka, TopicBootstrap topics) {
    this.store = store;
    this.settings = settings;
    this.kafka = kafka;
    supervisor.execute(this::runLoop);
  }

  /** Whether the projection is consuming now. */
  public boolean running() {
    EventConsumerLoop current = loop;
    return current != null && current.state() == EventConsumerLoop.State.RUNNING;
  }

  private void runLoop() {
    if (closed) {
      return;
    }
    var config = new ConsumerLoopConfig(settings.projectionGroup(), List.of(TopicCatalog.TASK_SUBMISSIONS, TopicCatalog.TASK_EVENTS),
        TopicCatalog.DEAD_LETTER, settings.pollTimeout(), settings.maxPollRecords(), kafka.deliveryTimeout());
    try {
      EventConsumerLoop next = EventConsumerLoop.create(kafka.bootstrapServers(), config, codec, this::project);
      loop = next;
      if (closed) {
        next.close();
        return;
      }
      next.run();
    } catch (RuntimeException e) {
      if (closed) {
        return;
      }
      failures++;
      long millis = Math.min(settings.pollTimeout().toMillis() << Math.min(failures, 6), settings.maxRestartBackoff().toMillis());
      log.error("Task projection stopped ({} in a row); restarting from the last committed offset in {} ms", failures, millis, e);
      supervisor.schedule(this::runLoop, millis, TimeUnit.MILLISECONDS);
    }
  }

  private void project(ConsumedEvent consumed) {
    if (consumed.event() instanceof TaskSubmitted s) {
      store.recordSubmission(s, TaskEvents.tenantOf(s.getQueue()), consumed.value());
    } else if (consumed.event() instanceof TaskStateChanged t) {
      store.recordTransition(t, consumed.partition(), consumed.offset());
    } else {
      log.warn("Skipping {} at {}: not a task record", consumed.event().getSchema().getName(), consumed.source());
    }
    failures = 0;
  }

  @Override
  @PreDestroy
  public void close() {
    closed = true;
    EventConsumerLoop current = loop;
    if (current != null) {
      current.close();
    }
    supervisor.shutdownNow();
    try {
      supervisor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.quartet.execution.task;

import dev.quartet.contracts.kafka.ConsumedEvent;
import dev.quartet.contracts.kafka.ConsumerLoopConfig;
import dev.quartet.contracts.kafka.SupervisedConsumerLoop;
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
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects the task topics (read_committed: aborted transactions, e.g. a fenced worker's, never
 * appear) into PostgreSQL for {@code task get|list|watch}, restarted from the last committed offset
 * after a bounded back-off when it fails.
 */
@Context
public class TaskProjector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskProjector.class);
  private final TaskStore store;
  private final SupervisedConsumerLoop loop;

  TaskProjector(TaskStore store, TaskApiSettings settings, KafkaSettings kafka, TopicBootstrap topics) {
    this.store = store;
    var config = new ConsumerLoopConfig(settings.projectionGroup(), List.of(TopicCatalog.TASK_SUBMISSIONS, TopicCatalog.TASK_EVENTS),
        TopicCatalog.DEAD_LETTER, settings.pollTimeout(), settings.maxPollRecords(), kafka.deliveryTimeout());
    this.loop = SupervisedConsumerLoop.start("task-projector", kafka.bootstrapServers(), config, EventCodec.standard(),
        this::project, settings.maxRestartBackoff());
  }

  /** Whether the projection is consuming now. */
  public boolean running() {
    return loop.running();
  }

  private void project(ConsumedEvent consumed) {
    if (consumed.event() instanceof TaskSubmitted s) {
      store.recordSubmission(s, TaskEvents.tenantOf(s.getQueue()), consumed.value());
    } else if (consumed.event() instanceof TaskStateChanged t) {
      store.recordTransition(t, consumed.partition(), consumed.offset());
    } else {
      log.warn("Skipping {} at {}: not a task record", consumed.event().getSchema().getName(), consumed.source());
    }
  }

  @Override
  @PreDestroy
  public void close() {
    loop.close();
  }
}

package dev.quartet.execution;

import dev.quartet.execution.config.WorkerSettings;
import dev.quartet.execution.kafka.WorkerConfigAgent;
import dev.quartet.execution.kafka.WorkerPresence;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.execution.task.TaskRunner;
import io.micronaut.context.ApplicationContextConfiguration;
import io.micronaut.context.env.DefaultEnvironment;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.SystemPropertiesPropertySource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A worker as its own process ({@code quartet worker}): Kafka and the pinned trust root only, no
 * HTTP server, no database. Settings come from the same sources as the execution plane's
 * (application.yml, application-execution.yml, the environment such as QUARTET_KAFKA_BOOTSTRAP)
 * with {@code properties} on top; no bean is created, so the plane's database is never touched.
 */
public final class WorkerProcess implements AutoCloseable {
  private static final String WORKER = "quartet.worker.";
  private static final String KAFKA = "quartet.kafka.";
  private final WorkerConfigAgent agent;
  private final TaskRunner tasks;
  private final WorkerPresence presence;

  private WorkerProcess(WorkerConfigAgent agent, TaskRunner tasks, WorkerPresence presence) {
    this.agent = agent;
    this.tasks = tasks;
    this.presence = presence;
  }

  /**
   * Starts a worker; the caller owns shutdown ({@link #close()}).
   *
   * @param properties overrides such as {@code quartet.worker.id}, {@code quartet.worker.queue},
   *     {@code quartet.worker.labels}, {@code quartet.worker.trust-file}, {@code quartet.kafka.bootstrap-servers}
   * @throws IllegalArgumentException if a setting is missing or malformed
   * @throws IllegalStateException if the trust root cannot be read or does not verify
   */
  public static WorkerProcess start(Map<String, Object> properties) {
    Environment env = new DefaultEnvironment(new ApplicationContextConfiguration() {
      @Override
      public List<String> getEnvironments() {
        return List.of(dev.quartet.contracts.Plane.EXECUTION.id());
      }

      @Override
      public Optional<Boolean> getDeduceEnvironments() {
        return Optional.of(false);
      }
    });
    env.addPropertySource(PropertySource.of("quartet-worker", properties, SystemPropertiesPropertySource.POSITION + 100));
    env.start();
    try {
      WorkerSettings settings = new WorkerSettings(false, env.getProperty(WORKER + "id", String.class).orElse(null),
          required(env, WORKER + "queue", String.class), env.getProperty(WORKER + "labels", String.class).orElse(""),
          env.getProperty(WORKER + "trust-file", String.class).orElse(null),
          required(env, WORKER + "tick-interval", Duration.class), required(env, WORKER + "max-clock-skew", Duration.class),
          required(env, WORKER + "max-envelope-bytes", Integer.class), required(env, WORKER + "max-pending-versions", Integer.class),
          required(env, WORKER + "max-remembered-versions", Integer.class), required(env, WORKER + "max-poll-records", Integer.class),
          required(env, WORKER + "max-restart-backoff", Duration.class), required(env, WORKER + "shutdown-timeout", Duration.class));
      KafkaSettings kafka = new KafkaSettings(required(env, KAFKA + "bootstrap-servers", String.class),
          required(env, KAFKA + "broker-count", Integer.class), required(env, KAFKA + "request-timeout", Duration.class),
          required(env, KAFKA + "delivery-timeout", Duration.class));
      WorkerConfigAgent agent = WorkerConfigAgent.start(settings, kafka, Clock.systemUTC());
      TaskRunner tasks = null;
      try {
        tasks = TaskRunner.forWorker(agent, env, kafka);
        return new WorkerProcess(agent, tasks, WorkerPresence.forWorker(agent, tasks::runningTasks, tasks.capacity(), env, kafka));
      } catch (RuntimeException e) {
        if (tasks != null) {
          tasks.close();
        }
        agent.close();
        throw e;
      }
    } finally {
      env.stop();
    }
  }

  /** The worker's config agent. */
  public WorkerConfigAgent agent() {
    return agent;
  }

  /** The worker's task runner. */
  public TaskRunner tasks() {
    return tasks;
  }

  @Override
  public void close() {
    presence.close();
    tasks.close();
    agent.close();
  }

  private static <T> T required(Environment env, String name, Class<T> type) {
    return env.getProperty(name, type).orElseThrow(() -> new IllegalArgumentException(name + " is not set"));
  }
}

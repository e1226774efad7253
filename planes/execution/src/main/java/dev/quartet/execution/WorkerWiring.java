package dev.quartet.execution;

import dev.quartet.execution.config.WorkerSettings;
import dev.quartet.execution.kafka.WorkerConfigAgent;
import dev.quartet.execution.kafka.WorkerPresence;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.runtime.TopicBootstrap;
import dev.quartet.execution.task.TaskRunner;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.env.Environment;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;

import java.time.Clock;

/**
 * Runs one worker inside the execution plane process when {@code quartet.worker.enabled=true}
 * ({@code quartet up}'s worker for default/dev/main). It is the same agent {@code quartet worker}
 * runs on its own; it shares nothing with the plane but the process.
 */
@Factory
@Requires(property = "quartet.worker.enabled", value = "true")
class WorkerWiring {
  /** Takes {@link TopicBootstrap} so the worker starts only once the topics exist. */
  @Context
  @Bean(preDestroy = "close")
  WorkerConfigAgent workerConfigAgent(WorkerSettings settings, KafkaSettings kafka, TopicBootstrap topics) {
    return WorkerConfigAgent.start(settings, kafka, Clock.systemUTC());
  }

  /** The worker's task runner: it admits work only while the config agent says so. */
  @Context
  @Bean(preDestroy = "close")
  TaskRunner taskRunner(WorkerConfigAgent agent, Environment env, KafkaSettings kafka) {
    return TaskRunner.forWorker(agent, env, kafka);
  }

  /** Registration and heartbeats, so the control plane's worker registry sees this worker. */
  @Context
  @Bean(preDestroy = "close")
  WorkerPresence workerPresence(WorkerConfigAgent agent, TaskRunner runner, Environment env, KafkaSettings kafka) {
    return WorkerPresence.forWorker(agent, runner::runningTasks, runner.capacity(), env, kafka);
  }
}

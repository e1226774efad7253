package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;
import dev.quartet.execution.WorkerProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code quartet worker --id ID --queue tenant/env/queue [--labels k=v,…] --trust trust.json
 * [--bootstrap HOST:PORT]}: one worker as its own process, against Kafka only. It verifies every
 * config snapshot of its scope against the pinned trust root, reports ACK/NACK, keeps the config
 * lease, and runs until SIGTERM (Ctrl-C). Tunables are the execution plane's {@code quartet.worker.*}
 * settings, also readable from the environment (e.g. QUARTET_WORKER_TICK_INTERVAL).
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Run a worker that verifies and applies signed config for its queue's scope until SIGTERM.")
final class WorkerCommand implements Callable<Integer> {
  /** Null when the command runs outside {@link Quartet} (tests). */
  @ParentCommand
  Quartet root;
  @Spec
  CommandSpec spec;

  @Option(names = "--id", required = true, paramLabel = "ID", description = "Worker id, unique per queue")
  String id;

  @Option(names = "--queue", required = true, paramLabel = "tenant/env/queue",
      description = "Queue to serve; the worker follows config scope tenant/env")
  String queue;

  @Option(names = "--labels", paramLabel = "k=v,…", defaultValue = "", description = "Labels for routing and rollout cohorts")
  String labels;

  @Option(names = "--trust", required = true, paramLabel = "FILE",
      description = "Pinned trust root (signed trust.json); every snapshot and lease token is verified against it")
  Path trust;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (default: $QUARTET_KAFKA_BOOTSTRAP)")
  String bootstrap;

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isReadable(trust)) {
      throw new CliFailure(ExitCode.USAGE, "trust root " + trust + " is not a readable file; a worker does not start without one");
    }
    Map<String, Object> properties = new HashMap<>();
    properties.put("quartet.worker.id", id);
    properties.put("quartet.worker.queue", queue);
    properties.put("quartet.worker.labels", labels);
    properties.put("quartet.worker.trust-file", trust.toAbsolutePath().toString());
    String servers = bootstrap != null ? bootstrap : root == null ? null : root.env.get("QUARTET_KAFKA_BOOTSTRAP");
    if (servers != null && !servers.isBlank()) {
      properties.put("quartet.kafka.bootstrap-servers", servers);
    }
    WorkerProcess worker;
    try {
      worker = WorkerProcess.start(properties);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCode.USAGE, e.getMessage());
    } catch (IllegalStateException e) {
      throw new CliFailure(ExitCode.REJECTED, e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      worker.close();
      stopped.countDown();
    }, "quartet-worker-shutdown"));
    var identity = worker.agent().identity();
    spec.commandLine().getOut().printf("Worker %s serving %s (config scope %s, labels %s); it admits work once it holds"
        + " a verified config. Stop with SIGTERM or Ctrl-C.%n", identity.id(), identity.queue(), identity.scope(), identity.labels());
    spec.commandLine().getOut().flush();
    stopped.await();
    return ExitCode.OK.code();
  }
}

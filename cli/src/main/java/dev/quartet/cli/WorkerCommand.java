package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.ExitCode;
import dev.quartet.execution.WorkerProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code quartet worker --id ID --queue tenant/env/queue [--labels k=v,…] --trust trust.json
 * [--bootstrap HOST:PORT]}: one worker as its own process, against Kafka only. It verifies every
 * config snapshot of its scope against the pinned trust root, reports ACK/NACK, keeps the config
 * lease, and runs until SIGTERM (Ctrl-C). Tunables are the execution plane's {@code quartet.worker.*}
 * settings, also readable from the environment (e.g. QUARTET_WORKER_TICK_INTERVAL).
 * {@code quartet worker list} reads the control plane's worker registry instead.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Run a worker that verifies and applies signed config for its queue's scope until SIGTERM.",
    subcommands = WorkerCommand.ListWorkers.class)
final class WorkerCommand implements Callable<Integer> {
  /** Null when the command runs outside {@link Quartet} (tests). */
  @ParentCommand
  Quartet root;
  @Spec
  CommandSpec spec;

  // Required for running a worker, checked in call(): picocli would otherwise demand them of `worker list` too.
  @Option(names = "--id", paramLabel = "ID", description = "Worker id, unique per queue (required to run a worker)")
  String id;

  @Option(names = "--queue", paramLabel = "tenant/env/queue",
      description = "Queue to serve; the worker follows config scope tenant/env (required to run a worker)")
  String queue;

  @Option(names = "--labels", paramLabel = "k=v,…", defaultValue = "", description = "Labels for routing and rollout cohorts")
  String labels;

  @Option(names = "--trust", paramLabel = "FILE",
      description = "Pinned trust root (signed trust.json); every snapshot and lease token is verified against it (required to run a worker)")
  Path trust;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (default: $QUARTET_KAFKA_BOOTSTRAP)")
  String bootstrap;

  @Override
  public Integer call() throws InterruptedException {
    List<String> missing = new ArrayList<>();
    if (id == null) {
      missing.add("'--id=ID'");
    }
    if (queue == null) {
      missing.add("'--queue=tenant/env/queue'");
    }
    if (trust == null) {
      missing.add("'--trust=FILE'");
    }
    if (!missing.isEmpty()) {
      throw new CliFailure(ExitCode.USAGE, "Missing required options to run a worker: " + String.join(", ", missing)
          + " (see quartet worker --help; `quartet worker list` lists workers)");
    }
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
    if (root != null) {
      // Inputs and outputs go through the data plane at --server with the CLI's token, unless the
      // worker's own settings (QUARTET_WORKER_DATA_URL / QUARTET_WORKER_TOKEN) say otherwise.
      if (!root.env.containsKey("QUARTET_WORKER_DATA_URL")) {
        properties.put("quartet.worker.tasks.data-url", root.global.server);
      }
      String token = root.global.resolveToken(root.env);
      if (!root.env.containsKey("QUARTET_WORKER_TOKEN") && token != null) {
        properties.put("quartet.worker.tasks.data-token", token);
      }
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

  /** {@code quartet worker list [--queue Q]}: the control plane's worker registry, as a table or one JSON object per worker. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List registered workers: queue, state (STALE/LOST when silent), tasks, capacity, applied config.")
  static final class ListWorkers implements Callable<Integer> {
    @ParentCommand WorkerCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--queue", paramLabel = "Q", description = "Only this queue, or the queues under a tenant or tenant/env prefix")
    String queue;

    @Override
    public Integer call() {
      if (queue != null && !queue.matches("[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*){0,2}")) {
        throw new CliFailure(ExitCode.USAGE, "--queue must be tenant, tenant/env or tenant/env/queue, was " + queue);
      }
      String query = queue == null ? "" : "?queue=" + URLEncoder.encode(queue, StandardCharsets.UTF_8);
      JsonNode workers = parent.root.client().getJson("/v1/workers" + query);
      print(spec.commandLine().getOut(), parent.root.global.json(), workers);
      return ExitCode.OK.code();
    }
  }

  /** Prints workers as a table, or one JSON object per line. */
  static void print(PrintWriter out, boolean json, JsonNode workers) {
    if (json) {
      workers.forEach(w -> out.println(w.toString()));
    } else if (workers.isEmpty()) {
      out.println("no workers");
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ID", "QUEUE", "STATE", "TASKS", "CAPACITY", "CONFIG", "LAST-SEEN", "LABELS"});
      workers.forEach(w -> {
        StringBuilder labels = new StringBuilder();
        w.path("labels").fields().forEachRemaining(e -> labels.append(labels.length() == 0 ? "" : ",")
            .append(e.getKey()).append('=').append(e.getValue().asText()));
        rows.add(new String[] {w.path("id").asText(), text(w, "queue"), text(w, "state"), text(w, "taskCount"),
            text(w, "capacity"), config(w.path("appliedConfigVersion"), w.path("appliedConfigDigest")), text(w, "lastSeenAt"),
            labels.length() == 0 ? "-" : labels.toString()});
      });
      table(out, rows);
    }
    out.flush();
  }

  /** {@code v7 0123456789ab} (a digest prefix is enough to tell versions apart by eye), or "-". */
  static String config(JsonNode version, JsonNode digest) {
    if (version.isMissingNode() || version.isNull()) {
      return "-";
    }
    String d = digest.asText("");
    return "v" + version.asText() + (d.isEmpty() ? "" : " " + d.substring(0, Math.min(12, d.length())));
  }

  /** A field as text, "-" when absent or null. */
  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? "-" : v.asText();
  }

  /** Left-aligned columns, two spaces apart; the last column is not padded. */
  static void table(PrintWriter out, List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    rows.forEach(r -> {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    });
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(i == columns - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}

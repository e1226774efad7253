package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quartet.contracts.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code quartet task …}: submit, inspect, watch, cancel, approve and reject tasks of the execution plane. */
@Command(name = "task", mixinStandardHelpOptions = true, description = "Submit and follow tasks.",
    subcommands = {TaskCommand.Submit.class, TaskCommand.Get.class, TaskCommand.ListTasks.class, TaskCommand.Watch.class,
        TaskCommand.Cancel.class, TaskCommand.Approve.class, TaskCommand.Reject.class})
final class TaskCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

  @ParentCommand
  Quartet root;

  /** {@code quartet task submit --type TOOL --input FILE …}: stores the input, then submits the task by reference. */
  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = "Store FILE as the input payload and submit a task; prints the task.")
  static final class Submit implements Callable<Integer> {
    @ParentCommand TaskCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--type", required = true, paramLabel = "TOOL", description = "Tool of the applied registry, e.g. transform") String type;
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Input payload, stored through the data plane") Path input;
    @Option(names = "--param", paramLabel = "K=V", description = "Handler parameter, e.g. op=uppercase (repeatable)") Map<String, String> params = new LinkedHashMap<>();
    @Option(names = "--classification", defaultValue = "INTERNAL", description = "PUBLIC, INTERNAL (default), CONFIDENTIAL or RESTRICTED") String classification;
    @Option(names = "--evidence-required", description = "Fail closed: the task does not run unless its evidence is written") boolean evidenceRequired;
    @Option(names = "--idempotency-key", paramLabel = "K", description = "A retried submit with the same key returns the same task") String idempotencyKey;
    @Option(names = "--queue", defaultValue = "default/dev/main", paramLabel = "tenant/env/queue", description = "Queue (default: ${DEFAULT-VALUE})") String queue;
    @Option(names = "--label", paramLabel = "K=V", description = "Worker label the task requires (repeatable)") Map<String, String> labels = new LinkedHashMap<>();
    @Option(names = "--correlation-id", paramLabel = "ID", description = "Correlation id for evidence queries (default: the task id)") String correlationId;
    @Option(names = "--route", paramLabel = "R", description = "Data route of the input payload") String route;
    @Option(names = "--wait", description = "Follow the task until it ends; exit 0 only if it SUCCEEDED") boolean await;

    @Override
    public Integer call() throws IOException {
      if (!Files.isRegularFile(input)) {
        throw new CliFailure(ExitCode.USAGE, "no such file: " + input);
      }
      ApiClient api = parent.root.client();
      String query = "classification=" + URLEncoder.encode(classification, StandardCharsets.UTF_8)
          + (route == null ? "" : "&route=" + URLEncoder.encode(route, StandardCharsets.UTF_8));
      JsonNode ref = api.putFile("/v1/payloads?" + query, input, Map.of("X-Content-SHA256", sha256(input)));
      ObjectNode body = JSON.createObjectNode();
      body.put("type", type).put("queue", queue).put("classification", classification).put("evidenceRequired", evidenceRequired);
      body.putObject("input").put("ref", ref.path("ref").asText()).put("sha256", ref.path("sha256").asText())
          .put("size", ref.path("size").asLong()).put("classification", ref.path("classification").asText());
      if (ref.hasNonNull("keyId")) {
        ((ObjectNode) body.get("input")).put("keyId", ref.path("keyId").asText());
      }
      ObjectNode p = body.putObject("params");
      params.forEach(p::put);
      if (route != null) {
        p.put("route", route);
      }
      ObjectNode l = body.putObject("labels");
      labels.forEach(l::put);
      if (idempotencyKey != null) {
        body.put("idempotencyKey", idempotencyKey);
      }
      if (correlationId != null) {
        body.put("correlationId", correlationId);
      }
      JsonNode task = api.postJson("/v1/tasks", JSON.writeValueAsBytes(body));
      PrintWriter out = spec.commandLine().getOut();
      print(out, parent.root.global.json(), task);
      if (!await) {
        return ExitCode.OK.code();
      }
      return follow(api, out, parent.root.global.json(), task.path("id").asText());
    }
  }

  /** {@code quartet task get ID}. */
  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a task.")
  static final class Get implements Callable<Integer> {
    @ParentCommand TaskCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() {
      JsonNode task = parent.root.client().getJson("/v1/tasks/" + segment(id));
      print(spec.commandLine().getOut(), parent.root.global.json(), task);
      return ExitCode.OK.code();
    }
  }

  /** {@code quartet task list [--queue Q] [--state S] [--limit N]}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tasks, newest first.")
  static final class ListTasks implements Callable<Integer> {
    @ParentCommand TaskCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--queue", paramLabel = "tenant/env/queue") String queue;
    @Option(names = "--state", paramLabel = "STATE") String state;
    @Option(names = "--limit", paramLabel = "N") Integer limit;

    @Override
    public Integer call() {
      StringBuilder q = new StringBuilder("/v1/tasks?");
      if (queue != null) {
        q.append("queue=").append(URLEncoder.encode(queue, StandardCharsets.UTF_8)).append('&');
      }
      if (state != null) {
        q.append("state=").append(URLEncoder.encode(state, StandardCharsets.UTF_8)).append('&');
      }
      if (limit != null) {
        q.append("limit=").append(limit);
      }
      JsonNode tasks = parent.root.client().getJson(q.toString());
      PrintWriter out = spec.commandLine().getOut();
      for (JsonNode t : tasks) {
        print(out, parent.root.global.json(), t);
      }
      return ExitCode.OK.code();
    }
  }

  /** {@code quartet task watch ID}: streams transitions until the task ends. */
  @Command(name = "watch", mixinStandardHelpOptions = true, description = "Stream a task's transitions until it ends.")
  static final class Watch implements Callable<Integer> {
    @ParentCommand TaskCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() {
      return follow(parent.root.client(), spec.commandLine().getOut(), parent.root.global.json(), id);
    }
  }

  /** {@code quartet task cancel ID [--reason R]}. */
  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a task (a running one is interrupted).")
  static final class Cancel implements Callable<Integer> {
    @ParentCommand TaskCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--reason", paramLabel = "TEXT") String reason;

    @Override
    public Integer call() throws IOException {
      return decide(parent, spec, id, "cancel", reason);
    }
  }

  /** {@code quartet task approve ID}: needs the approver role; the submitter may not approve. */
  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a task waiting for approval.")
  static final class Approve implements Callable<Integer> {
    @ParentCommand TaskCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--reason", paramLabel = "TEXT") String reason;

    @Override
    public Integer call() throws IOException {
      return decide(parent, spec, id, "approve", reason);
    }
  }

  /** {@code quartet task reject ID}: the task ends FAILED. */
  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a task waiting for approval.")
  static final class Reject implements Callable<Integer> {
    @ParentCommand TaskCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--reason", paramLabel = "TEXT") String reason;

    @Override
    public Integer call() throws IOException {
      return decide(parent, spec, id, "reject", reason);
    }
  }

  private static int decide(TaskCommand parent, CommandSpec spec, String id, String action, String reason) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    if (reason != null) {
      body.put("reason", reason);
    }
    JsonNode task = parent.root.client().postJson("/v1/tasks/" + segment(id) + "/" + action, JSON.writeValueAsBytes(body));
    PrintWriter out = spec.commandLine().getOut();
    if (parent.root.global.json()) {
      out.println(task.toString());
    } else {
      out.printf("%s accepted for task %s (it was %s)%n", action, id, task.path("state").asText());
    }
    out.flush();
    return ExitCode.OK.code();
  }

  /** Streams transitions; exit 0 when the task SUCCEEDED, 1 when it ended otherwise. */
  private static int follow(ApiClient api, PrintWriter out, boolean json, String id) {
    String[] last = {null};
    api.stream("/v1/tasks/" + segment(id) + "/watch", t -> {
      if (json) {
        out.println(t.toString());
      } else {
        out.printf("%s %s -> %s worker=%s attempt=%d epoch=%d config=v%d%s%n", t.path("occurredAt").asText(),
            t.path("from").asText("-"), t.path("to").asText(), t.path("workerId").asText("-"), t.path("attempt").asInt(),
            t.path("leaseEpoch").asLong(), t.path("configVersion").asLong(),
            t.hasNonNull("reason") ? " (" + t.path("reason").asText() + ")" : "");
      }
      out.flush();
      if (t.path("applied").asBoolean(true)) {
        last[0] = t.path("to").asText();
      }
    });
    if (last[0] == null || !TERMINAL.contains(last[0])) {
      throw new CliFailure(ExitCode.UNAVAILABLE, "the watch of task " + id + " ended before the task did (last state "
          + last[0] + "); run quartet task watch " + id + " again");
    }
    return "SUCCEEDED".equals(last[0]) ? ExitCode.OK.code() : ExitCode.REJECTED.code();
  }

  private static void print(PrintWriter out, boolean json, JsonNode task) {
    if (json) {
      out.println(task.toString());
    } else {
      out.printf("%s %s %s %s attempt=%d%s%s%n", task.path("id").asText(), task.path("state").asText(),
          task.path("type").asText(), task.path("queue").asText(), task.path("attempt").asInt(),
          task.hasNonNull("outputRef") ? " output=" + task.path("outputRef").asText() : "",
          task.hasNonNull("reason") ? " reason: " + task.path("reason").asText() : "");
    }
    out.flush();
  }

  private static String segment(String id) {
    if (!id.matches("[A-Za-z0-9-]{1,64}")) {
      throw new CliFailure(ExitCode.USAGE, "not a task id: " + id);
    }
    return id;
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}

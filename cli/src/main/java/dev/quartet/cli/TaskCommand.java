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
import java.util.List;
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
        TaskCommand.Cancel.class, TaskCommand.Approve.class, TaskCommand.Reject.class, TaskCommand.Replay.class})
final class TaskCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
  /** Largest output read to compare a replay with its original (the default task limit). */
  private static final int MAX_COMPARED_OUTPUT = 20 << 20;
  /** Differences listed at most; the count says when there were more. */
  private static final int MAX_DIFFERENCES = 200;

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

  /** A decision on one task ({@code POST /v1/tasks/ID/<action>}) with an optional reason; picocli needs a class per name. */
  abstract static class Decision implements Callable<Integer> {
    @ParentCommand TaskCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--reason", paramLabel = "TEXT") String reason;

    /** The action's path segment. */
    abstract String action();

    @Override
    public Integer call() throws IOException {
      return decide(parent, spec, id, action(), reason);
    }
  }

  /** {@code quartet task cancel ID [--reason R]}. */
  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a task (a running one is interrupted).")
  static final class Cancel extends Decision {
    @Override
    String action() {
      return "cancel";
    }
  }

  /** {@code quartet task approve ID}: needs the approver role; the submitter may not approve. */
  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a task waiting for approval.")
  static final class Approve extends Decision {
    @Override
    String action() {
      return "approve";
    }
  }

  /** {@code quartet task reject ID}: the task ends FAILED. */
  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a task waiting for approval.")
  static final class Reject extends Decision {
    @Override
    String action() {
      return "reject";
    }
  }

  /**
   * {@code quartet task replay ID [--current-config] [--wait]}: re-runs a recorded execution under
   * its recorded config version (or the current one) as a new task; with --wait, prints how the
   * replay differs: output digests, a structural JSON diff of the outputs, and both state paths.
   */
  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Re-run an ended task under its recorded config (or --current-config); --wait shows the differences.")
  static final class Replay implements Callable<Integer> {
    @ParentCommand TaskCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "ID") String id;
    @Option(names = "--current-config", description = "Run under the config applied now instead of the recorded version") boolean currentConfig;
    @Option(names = "--wait", description = "Follow the replay until it ends, then print the differences; exit 0 only if it SUCCEEDED") boolean await;

    @Override
    public Integer call() throws IOException {
      ApiClient api = parent.root.client();
      boolean json = parent.root.global.json();
      ObjectNode body = JSON.createObjectNode().put("currentConfig", currentConfig);
      JsonNode replay = api.postJson("/v1/tasks/" + segment(id) + "/replay", JSON.writeValueAsBytes(body));
      PrintWriter out = spec.commandLine().getOut();
      String replayId = replay.path("id").asText();
      if (!await) {
        print(out, json, replay);
        return ExitCode.OK.code();
      }
      PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream());
      int code = follow(api, quiet, json, replayId);
      JsonNode original = api.getJson("/v1/tasks/" + segment(id));
      JsonNode replayed = api.getJson("/v1/tasks/" + replayId);
      List<String> originalPath = statePath(api, id);
      List<String> replayPath = statePath(api, replayId);
      List<JsonDiff.Difference> differences = List.of();
      String outputComparison;
      JsonNode before = output(api, original);
      JsonNode after = output(api, replayed);
      String sha1 = original.path("outputSha256").asText("");
      String sha2 = replayed.path("outputSha256").asText("");
      if (sha1.isEmpty() || sha2.isEmpty()) {
        outputComparison = sha1.isEmpty() && sha2.isEmpty() ? "no outputs" : "only one has an output";
      } else if (sha1.equals(sha2)) {
        outputComparison = "same output";
      } else if (before != null && after != null) {
        differences = JsonDiff.between(before, after, MAX_DIFFERENCES);
        outputComparison = "outputs differ";
      } else {
        outputComparison = "outputs differ (not JSON: compared by digest)";
      }
      if (json) {
        ObjectNode report = JSON.createObjectNode();
        report.put("replay", replayId).put("of", id).put("state", replayed.path("state").asText());
        report.put("configVersionOriginal", original.path("configVersion").asLong());
        report.put("configVersionReplay", replayed.path("configVersion").asLong());
        report.put("outputSha256Original", sha1).put("outputSha256Replay", sha2).put("outputs", outputComparison);
        report.putPOJO("statePathOriginal", originalPath);
        report.putPOJO("statePathReplay", replayPath);
        var diffs = report.putArray("differences");
        for (JsonDiff.Difference d : differences) {
          ObjectNode n = diffs.addObject().put("path", d.path()).put("kind", d.kind().name());
          n.set("before", d.before());
          n.set("after", d.after());
        }
        out.println(JSON.writeValueAsString(report));
      } else {
        out.printf("replay %s of %s: %s%n", replayId, id, replayed.path("state").asText());
        out.printf("config:  v%d -> v%d%n", original.path("configVersion").asLong(), replayed.path("configVersion").asLong());
        out.printf("states:  %s%n         %s%n", String.join(" > ", originalPath), String.join(" > ", replayPath));
        if (!replayed.path("reason").isMissingNode() && !replayed.path("reason").isNull()) {
          out.printf("reason:  %s%n", replayed.path("reason").asText());
        }
        out.printf("output:  %s (%s vs %s)%n", outputComparison, abbreviated(sha1), abbreviated(sha2));
        for (JsonDiff.Difference d : differences) {
          switch (d.kind()) {
            case ADDED -> out.printf("  + %s: %s%n", d.path(), d.after());
            case REMOVED -> out.printf("  - %s: %s%n", d.path(), d.before());
            default -> out.printf("  ~ %s: %s -> %s%n", d.path(), d.before(), d.after());
          }
        }
      }
      out.flush();
      return code;
    }
  }

  private static List<String> statePath(ApiClient api, String id) {
    List<String> path = new java.util.ArrayList<>();
    for (JsonNode t : api.getJson("/v1/tasks/" + segment(id) + "/transitions")) {
      if (t.path("applied").asBoolean(true)) {
        path.add(t.path("to").asText());
      }
    }
    return path;
  }

  /** A task's output parsed as JSON, or null when it has none, is too large or is not JSON. */
  private static JsonNode output(ApiClient api, JsonNode task) {
    String ref = task.path("outputRef").asText("");
    if (!ref.startsWith("quartet:payload/")) {
      return null;
    }
    var response = api.download("/v1/payloads/" + ref.substring("quartet:payload/".length()));
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(MAX_COMPARED_OUTPUT + 1);
      if (bytes.length > MAX_COMPARED_OUTPUT) {
        return null;
      }
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return null;  // not JSON (or unreadable): compared by digest only
    }
  }

  private static String abbreviated(String sha) {
    return sha.isEmpty() ? "-" : sha.substring(0, Math.min(12, sha.length()));
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

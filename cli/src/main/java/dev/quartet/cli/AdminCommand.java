package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code quartet admin …}: operators' commands. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Operate the planes' projections.",
    subcommands = {AdminCommand.Rebuild.class})
final class AdminCommand {
  /**
   * The planes with a rebuild endpoint, and where it is: {@code POST <prefix>/admin/rebuild} under
   * the plane's own ingress prefix. Others add theirs here.
   */
  static final java.util.Map<String, String> REBUILDABLE = java.util.Map.of("control", "/v1/config", "evidence", "/v1/evidence");

  @ParentCommand
  Quartet root;

  /** {@code quartet admin rebuild [--plane P…]}: drop each plane's projections and rebuild them from the topics. */
  @Command(name = "rebuild", mixinStandardHelpOptions = true,
      description = "Drop the planes' PostgreSQL projections and rebuild them from the Kafka topics.")
  static final class Rebuild implements Callable<Integer> {
    @ParentCommand
    AdminCommand parent;
    @Spec
    CommandSpec spec;

    @Option(names = "--plane", paramLabel = "PLANE", description = "Only this plane (default: every plane with a rebuild: ${DEFAULT-VALUE})",
        defaultValue = "control,evidence", split = ",")
    List<String> planes;

    @Option(names = "--timeout", paramLabel = "D", description = "Longest wait for one plane's rebuild (default ${DEFAULT-VALUE})",
        defaultValue = "PT10M")
    Duration timeout;

    @Override
    public Integer call() {
      for (String plane : planes) {
        if (!REBUILDABLE.containsKey(plane)) {
          throw new CliFailure(ExitCode.USAGE, "plane " + plane + " has no rebuild; planes with one: "
              + new java.util.TreeSet<>(REBUILDABLE.keySet()));
        }
      }
      Quartet root = parent.root;
      ApiClient.Settings d = ApiClient.Settings.defaults();
      // A rebuild replays a whole topic: the request may take much longer than a query.
      ApiClient api = new ApiClient(root.global.server, root.global.resolveToken(root.env),
          new ApiClient.Settings(d.connectTimeout(), timeout, d.attempts(), d.firstBackoff(), d.maxBackoff()));
      PrintWriter out = spec.commandLine().getOut();
      for (String plane : planes) {
        JsonNode r = api.postJson(REBUILDABLE.get(plane) + "/admin/rebuild", new byte[0]);
        if (root.global.json()) {
          out.println(r.toString());
        } else {
          out.printf("%s: rebuilt %s from %d records (%d rows, %d past retention) in %d ms%n", plane,
              String.join(", ", texts(r.path("projections"))), r.path("records").asLong(), r.path("rows").asLong(),
              r.path("expired").asLong(), r.path("tookMillis").asLong());
          r.path("partitions").forEach(p -> out.printf("  partition %d: %d leaves, %s%n", p.path("partition").asInt(),
              p.path("leaves").asLong(), p.path("rootMatches").asBoolean()
                  ? "root of signed checkpoint " + p.path("checkedSize").asLong() + " matches" : "no signed checkpoint to check"));
        }
      }
      out.flush();
      return ExitCode.OK.code();
    }

    private static List<String> texts(JsonNode array) {
      List<String> out = new java.util.ArrayList<>();
      array.forEach(n -> out.add(n.asText()));
      return out;
    }
  }
}

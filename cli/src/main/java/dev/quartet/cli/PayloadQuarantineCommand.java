package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code quartet payload quarantine list|release}: payloads that broke their route's rules (DATA_ADMIN). */
@Command(name = "quarantine", mixinStandardHelpOptions = true,
    description = "List or release payloads held in quarantine for breaking their route's rules (DATA_ADMIN role).",
    subcommands = {PayloadQuarantineCommand.ListHeld.class, PayloadQuarantineCommand.Release.class})
final class PayloadQuarantineCommand {
  @ParentCommand
  PayloadCommand parent;

  /** {@code quartet payload quarantine list [--limit N]}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List held payloads, oldest first.")
  static final class ListHeld implements Callable<Integer> {
    @ParentCommand PayloadQuarantineCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--limit", paramLabel = "N", description = "At most N (default and cap: the server's quartet.data.quarantine.max-listed)")
    Integer limit;

    @Override
    public Integer call() {
      if (limit != null && limit < 1) {
        throw new CliFailure(ExitCode.USAGE, "--limit must be at least 1");
      }
      JsonNode answer = parent.parent.root.client().getJson("/v1/payloads/quarantine" + (limit == null ? "" : "?limit=" + limit));
      var out = spec.commandLine().getOut();
      for (JsonNode p : answer.path("payloads")) {
        if (parent.parent.root.global.json()) {
          out.println(p.toString());
        } else {
          out.printf("%s %s %s route %s size %d since %s: %s%n", p.path("ref").asText(), p.path("sha256").asText(),
              p.path("classification").asText(), p.path("route").asText(), p.path("size").asLong(),
              p.path("quarantinedAt").asText(), p.path("reason").asText());
        }
      }
      out.flush();
      return ExitCode.OK.code();
    }
  }

  /** {@code quartet payload quarantine release REF}. */
  @Command(name = "release", mixinStandardHelpOptions = true, description = "Release a payload: readable again by its data roles.")
  static final class Release implements Callable<Integer> {
    @ParentCommand PayloadQuarantineCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "REF", description = "quartet:payload/<id> or <id>") String ref;

    @Override
    public Integer call() {
      String id = ref.startsWith("quartet:payload/") ? ref.substring("quartet:payload/".length()) : ref;
      if (!id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
        throw new CliFailure(ExitCode.USAGE, "not a payload reference: " + ref);
      }
      JsonNode p = parent.parent.root.client().postJson("/v1/payloads/quarantine/" + id + "/release", new byte[0]);
      var out = spec.commandLine().getOut();
      out.println(parent.parent.root.global.json() ? p.toString() : p.path("ref").asText() + " released");
      out.flush();
      return ExitCode.OK.code();
    }
  }
}

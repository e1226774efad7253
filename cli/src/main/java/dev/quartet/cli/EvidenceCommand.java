package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.ExitCode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/** {@code quartet evidence …}: the auditor's commands. */
@Command(name = "evidence", mixinStandardHelpOptions = true,
    description = "Query and follow the evidence log; export and verify evidence bundles; witness the log.",
    subcommands = {EvidenceCommand.Query.class, EvidenceCommand.Tail.class, EvidenceExportCommand.class,
        EvidenceVerifyCommand.class, EvidenceWitnessCommand.class})
final class EvidenceCommand {
  @ParentCommand
  Quartet root;

  /** {@code quartet evidence query (--correlation ID | --execution ID | --from T --to T)}. */
  @Command(name = "query", mixinStandardHelpOptions = true, description = "List evidence events matching a selector.")
  static final class Query implements Callable<Integer> {
    @ParentCommand
    EvidenceCommand parent;
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selector selector;

    @Option(names = "--type", description = "Only events of this type, e.g. PlaneStarted")
    String type;

    @Option(names = "--limit", description = "Events per page fetched from the server (default ${DEFAULT-VALUE})", defaultValue = "500")
    int pageSize;

    /** Which events: by correlation id, by execution id, or by a time range; shared with {@code export}. */
    static final class Selector {
      @Option(names = "--correlation", paramLabel = "ID", required = true) String correlation;
      @Option(names = "--execution", paramLabel = "ID", required = true) String execution;
      @ArgGroup(exclusive = false) Range range;

      /** The selector as query parameters of GET /v1/evidence/events. */
      StringJoiner query() {
        StringJoiner query = new StringJoiner("&");
        describe().forEach((k, v) -> query.add(k + "=" + encode(v)));
        return query;
      }

      /** The selector by name, as the bundle manifest records it. */
      java.util.Map<String, String> describe() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (correlation != null) {
          out.put("correlation", correlation);
        } else if (execution != null) {
          out.put("execution", execution);
        } else {
          out.put("from", instant("--from", range.from));
          out.put("to", instant("--to", range.to));
        }
        return out;
      }

      private static String instant(String option, String value) {
        try {
          return Instant.parse(value).toString();
        } catch (DateTimeParseException e) {
          throw new CliFailure(ExitCode.USAGE, option + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, was " + value);
        }
      }
    }

    static final class Range {
      @Option(names = "--from", paramLabel = "T", required = true, description = "ISO-8601 instant") String from;
      @Option(names = "--to", paramLabel = "T", required = true, description = "ISO-8601 instant") String to;
    }

    @Override
    public Integer call() {
      StringJoiner query = selector.query();
      if (type != null) {
        query.add("type=" + encode(type));
      }
      query.add("limit=" + pageSize);
      ApiClient client = parent.root.client();
      PrintWriter out = spec.commandLine().getOut();
      String after = null;
      do {
        JsonNode page = client.getJson("/v1/evidence/events?" + query + (after == null ? "" : "&after=" + after));
        page.path("events").forEach(e -> print(out, parent.root.global.json(), e));
        after = page.hasNonNull("next") ? page.get("next").asText() : null;
      } while (after != null);
      out.flush();
      return ExitCode.OK.code();
    }
  }

  /** {@code quartet evidence tail}: follows new evidence events until interrupted. */
  @Command(name = "tail", mixinStandardHelpOptions = true, description = "Stream evidence events as they are indexed.")
  static final class Tail implements Callable<Integer> {
    @ParentCommand
    EvidenceCommand parent;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      parent.root.client().stream("/v1/evidence/tail", e -> {
        print(out, parent.root.global.json(), e);
        out.flush();
      });
      return ExitCode.OK.code();
    }
  }

  static void print(PrintWriter out, boolean json, JsonNode event) {
    if (json) {
      out.println(event.toString());
    } else {
      StringBuilder links = new StringBuilder();
      if (event.hasNonNull("corrects")) {
        links.append(" corrects ").append(event.get("corrects").asText());
      }
      if (event.path("correctedBy").size() > 0) {
        StringJoiner by = new StringJoiner(", ");
        event.path("correctedBy").forEach(c -> by.add(c.asText()));
        links.append(" corrected by ").append(by);
      }
      out.printf("%-30s %-10s %-22s %s correlation=%s%s%n", event.path("occurredAt").asText(),
          event.path("plane").asText(), event.path("type").asText(), event.path("id").asText(),
          event.path("correlationId").asText(""), links);
    }
  }

  static String encode(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }
}

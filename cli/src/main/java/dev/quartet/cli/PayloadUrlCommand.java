package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quartet.contracts.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code quartet payload url REF --ttl D} prints a signed URL reading one payload without a token;
 * {@code quartet payload url --write --classification C … --ttl D} one taking one upload (an upload slot).
 */
@Command(name = "url", mixinStandardHelpOptions = true,
    description = "Print a time-limited signed URL to read a payload, or (--write) to upload one.")
final class PayloadUrlCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  @ParentCommand PayloadCommand parent;
  @Spec CommandSpec spec;
  @Parameters(paramLabel = "REF", arity = "0..1", description = "Payload to read (quartet:payload/<id> or <id>); none with --write")
  String ref;
  @Option(names = "--ttl", required = true, converter = BenchDurationConverter.class, paramLabel = "D",
      description = "Validity, e.g. 10m, 1h or PT30S (bounded by the server's quartet.data.signed-urls.max-ttl)")
  Duration ttl;
  @Option(names = "--write", description = "An upload slot: a URL taking one PUT of a payload") boolean write;
  @Option(names = "--classification", description = "With --write: PUBLIC, INTERNAL, CONFIDENTIAL or RESTRICTED") String classification;
  @Option(names = "--route", description = "With --write: route of the payload (default: the data plane's)") String route;
  @Option(names = "--tenant", description = "With --write: tenant to store for (unscoped tokens only)") String tenant;
  @Option(names = "--sha256", paramLabel = "HEX", description = "With --write: the SHA-256 the upload must have") String sha256;
  @Option(names = "--max-bytes", paramLabel = "N", description = "With --write: the largest upload taken") Long maxBytes;

  @Override
  public Integer call() {
    if (ttl.isNegative() || ttl.isZero() || ttl.toMillis() % 1000 != 0) {
      throw new CliFailure(ExitCode.USAGE, "--ttl must be a positive number of whole seconds, was " + ttl);
    }
    JsonNode issued = write ? uploadSlot() : readUrl();
    var out = spec.commandLine().getOut();
    if (parent.root.global.json()) {
      ObjectNode o = JSON.createObjectNode();
      o.put("url", issued.path("url").asText());
      o.put("expiresAt", issued.path("expiresAt").asText());
      o.put("method", issued.path("method").asText());
      if (write) {
        o.put("slotId", issued.path("slotId").asText());
      } else {
        o.put("ref", issued.path("ref").asText());
      }
      out.println(o);
    } else {
      // The URL alone on stdout, so it can be used as it is: curl "$(quartet payload url REF --ttl 10m)".
      out.println(issued.path("url").asText());
    }
    out.flush();
    return ExitCode.OK.code();
  }

  private JsonNode readUrl() {
    if (ref == null) {
      throw new CliFailure(ExitCode.USAGE, "name the payload to read (REF), or use --write for an upload slot");
    }
    if (classification != null || route != null || tenant != null || sha256 != null || maxBytes != null) {
      throw new CliFailure(ExitCode.USAGE, "--classification, --route, --tenant, --sha256 and --max-bytes go with --write");
    }
    String id = ref.startsWith("quartet:payload/") ? ref.substring("quartet:payload/".length()) : ref;
    if (!id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
      throw new CliFailure(ExitCode.USAGE, "not a payload reference: " + ref);
    }
    ObjectNode body = JSON.createObjectNode().put("ttlSeconds", ttl.toSeconds());
    return parent.root.client().postJson("/v1/payloads/" + id + "/urls", body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode uploadSlot() {
    if (ref != null) {
      throw new CliFailure(ExitCode.USAGE, "an upload slot names no payload: drop " + ref + " or --write");
    }
    if (classification == null) {
      throw new CliFailure(ExitCode.USAGE, "--write needs --classification");
    }
    ObjectNode body = JSON.createObjectNode().put("classification", classification).put("ttlSeconds", ttl.toSeconds());
    if (route != null) {
      body.put("route", route);
    }
    if (tenant != null) {
      body.put("tenant", tenant);
    }
    if (sha256 != null) {
      body.put("sha256", sha256);
    }
    if (maxBytes != null) {
      body.put("maxBytes", maxBytes);
    }
    return parent.root.client().postJson("/v1/payloads/upload-slots", body.toString().getBytes(StandardCharsets.UTF_8));
  }
}

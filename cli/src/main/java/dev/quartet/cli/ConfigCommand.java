package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.ExitCode;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.KeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code quartet config …}: sign on the admin's machine, publish and read back through the control plane. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Sign, publish and read configuration versions.",
    subcommands = {ConfigCommand.Sign.class, ConfigCommand.Publish.class, ConfigCommand.Get.class, ConfigCommand.History.class,
        ConfigCommand.Rollback.class, ConfigCommand.Status.class, ConfigCommand.Schema.class})
final class ConfigCommand {
  @ParentCommand
  Quartet root;

  /** {@code quartet config sign --key K --in config.yaml --out snap.dsse.json}: offline, adds a signature if --out exists. */
  @Command(name = "sign", mixinStandardHelpOptions = true, description = "Sign a configuration document (no server needed).")
  static final class Sign implements Callable<Integer> {
    @ParentCommand ConfigCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--key", required = true, paramLabel = "A.key", description = "Your private key (PKCS#8 PEM)") Path key;
    @Option(names = "--in", required = true, paramLabel = "config.yaml") Path in;
    @Option(names = "--out", required = true, paramLabel = "snap.dsse.json", description = "Envelope to write; if it exists, a signature is added") Path out;

    @Override
    public Integer call() throws IOException {
      AdminKeyPair signer = readKey(key);
      var doc = ConfigDocuments.fromYaml(read(in));
      DsseEnvelope existing = Files.exists(out) ? DsseEnvelope.fromJson(Files.readAllBytes(out)) : null;
      DsseEnvelope signed = ConfigDocuments.sign(doc, signer, existing, Instant.now());
      Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".snap", ".tmp");
      Files.write(tmp, signed.toJsonFile());
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      PrintWriter w = spec.commandLine().getOut();
      String digest = sha256(signed.payload());
      if (parent.root.global.json()) {
        w.printf("{\"scope\":\"%s\",\"version\":%s,\"digest\":\"%s\",\"signatures\":%d}%n", doc.get("scope"), doc.get("version"),
            digest, signed.signatures().size());
      } else {
        w.printf("signed %s v%s by %s (%d signature%s), digest %s -> %s%n", doc.get("scope"), doc.get("version"),
            signer.keyId().hex(), signed.signatures().size(), signed.signatures().size() == 1 ? "" : "s", digest, out);
      }
      return ExitCode.OK.code();
    }
  }

  /** {@code quartet config publish snap.dsse.json}. */
  @Command(name = "publish", mixinStandardHelpOptions = true, description = "Publish a signed configuration version.")
  static final class Publish implements Callable<Integer> {
    @ParentCommand ConfigCommand parent;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "snap.dsse.json") Path envelope;

    @Override
    public Integer call() throws IOException {
      JsonNode published = parent.root.client().postJson("/v1/config/snapshots", Files.readAllBytes(envelope));
      print(spec.commandLine().getOut(), parent.root.global.json(), published);
      return ExitCode.OK.code();
    }
  }

  /** {@code quartet config get [--scope S] [--version N]}. */
  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show the head (or one version) of a scope.")
  static final class Get implements Callable<Integer> {
    @ParentCommand ConfigCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--scope", defaultValue = "default/dev", description = "tenant/environment (default ${DEFAULT-VALUE})") String scope;
    @Option(names = "--version", description = "A version number; default the head") Long version;

    @Override
    public Integer call() {
      JsonNode v = parent.root.client().getJson("/v1/config/snapshots/" + scopePath(scope) + (version == null ? "" : "?version=" + version));
      print(spec.commandLine().getOut(), parent.root.global.json(), v);
      return ExitCode.OK.code();
    }
  }

  /** {@code quartet config history [--scope S]}. */
  @Command(name = "history", mixinStandardHelpOptions = true, description = "List a scope's versions, newest first.")
  static final class History implements Callable<Integer> {
    @ParentCommand ConfigCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--scope", defaultValue = "default/dev", description = "tenant/environment (default ${DEFAULT-VALUE})") String scope;

    @Override
    public Integer call() {
      JsonNode versions = parent.root.client().getJson("/v1/config/history/" + scopePath(scope));
      versions.forEach(v -> print(spec.commandLine().getOut(), parent.root.global.json(), v));
      return ExitCode.OK.code();
    }
  }

  /**
   * {@code quartet config rollback --to N --out FILE}: prepares — does not publish — a new version
   * whose body is version N's, on top of the current head, for admins to sign. A rollback is a
   * new version: workers never move to a lower one.
   */
  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Prepare a new version with an older version's body, to be signed and published.")
  static final class Rollback implements Callable<Integer> {
    @ParentCommand ConfigCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--scope", defaultValue = "default/dev", description = "tenant/environment (default ${DEFAULT-VALUE})") String scope;
    @Option(names = "--to", required = true, paramLabel = "N", description = "The version whose body to restore") long to;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Document to write (JSON, which config sign reads as YAML)") Path out;
    @Option(names = "--expires", paramLabel = "T", description = "expiresAt of the new version (default: that of version N)") String expires;

    @Override
    public Integer call() throws IOException {
      ApiClient client = parent.root.client();
      JsonNode head = client.getJson("/v1/config/snapshots/" + scopePath(scope));
      JsonNode target = client.getJson("/v1/config/snapshots/" + scopePath(scope) + "?version=" + to);
      JsonNode envelope = JSON.readTree(target.path("envelope").asText());
      JsonNode signed = JSON.readTree(java.util.Base64.getDecoder().decode(envelope.path("payload").asText()));
      var doc = JSON.createObjectNode();
      doc.put("scope", scope);
      doc.put("version", head.path("version").asLong() + 1);
      doc.put("parent", head.path("digest").asText());
      doc.put("expiresAt", expires != null ? instant(expires) : signed.path("expiresAt").asText());
      doc.set("body", signed.path("body"));
      if (Files.exists(out)) {
        throw new CliFailure(ExitCode.REJECTED, out + " exists; refusing to overwrite");
      }
      Files.write(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
      spec.commandLine().getOut().printf("prepared %s v%d with the body of v%d -> %s; sign it with `quartet config sign --in %s`%n",
          scope, doc.path("version").asLong(), to, out, out);
      return ExitCode.OK.code();
    }
  }

  /**
   * {@code quartet config status [--scope S]}: the scope's head, its staged rollout (state, cohort,
   * bake, ACK/NACK counts) and, per worker, its applied version, last ACK, last NACK and whether it
   * runs the head.
   */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show a scope's head, its rollout and, per worker, the applied version, last ACK and NACK, and whether it is on the head.")
  static final class Status implements Callable<Integer> {
    @ParentCommand ConfigCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--scope", defaultValue = "default/dev", description = "tenant/environment (default ${DEFAULT-VALUE})") String scope;

    @Override
    public Integer call() {
      JsonNode status = parent.root.client().getJson("/v1/config/status?scope=" + scopePath(scope));
      printStatus(spec.commandLine().getOut(), parent.root.global.json(), status);
      return ExitCode.OK.code();
    }
  }

  /** {@code quartet config schema}: the published JSON Schema of configuration bodies, offline. */
  @Command(name = "schema", mixinStandardHelpOptions = true,
      description = "Print the JSON Schema (draft 2020-12) every configuration body must satisfy (no server needed).")
  static final class Schema implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter w = spec.commandLine().getOut();
      w.print(new String(dev.quartet.control.domain.ConfigBodySchema.document(), StandardCharsets.UTF_8));
      w.flush();
      return ExitCode.OK.code();
    }
  }

  /** Prints a config status: one JSON object, or a head line and a table of workers. */
  static void printStatus(PrintWriter out, boolean json, JsonNode status) {
    if (json) {
      out.println(status.toString());
      out.flush();
      return;
    }
    JsonNode version = status.path("version");
    out.printf("%s %s%n", status.path("scope").asText(), version.isNull() || version.isMissingNode()
        ? "has no published version" : "head v" + version.asText() + " digest " + status.path("digest").asText());
    JsonNode rollout = status.path("rollout");
    if (rollout.isObject()) {
      out.println(rolloutLine(rollout));
    }
    JsonNode workers = status.path("workers");
    if (workers.isEmpty()) {
      out.println("no workers");
    } else {
      java.util.List<String[]> rows = new java.util.ArrayList<>();
      rows.add(new String[] {"WORKER", "QUEUE", "STATE", "APPLIED", "ON-HEAD", "LAST-ACK", "LAST-NACK"});
      workers.forEach(w -> rows.add(new String[] {w.path("id").asText(), WorkerCommand.text(w, "queue"),
          WorkerCommand.text(w, "state"), WorkerCommand.config(w.path("appliedVersion"), w.path("appliedDigest")),
          w.path("onHead").asBoolean() ? "yes" : "no", WorkerCommand.text(w, "lastAckAt"),
          w.hasNonNull("lastNackVersion") ? "v" + w.path("lastNackVersion").asText() + " at " + WorkerCommand.text(w, "lastNackAt")
              + ": " + WorkerCommand.text(w, "lastNackReason") : "-"}));
      WorkerCommand.table(out, rows);
    }
    out.flush();
  }

  /** One line on the head's staged rollout: state and why, whom it targets, and the workers' reports. */
  static String rolloutLine(JsonNode r) {
    StringBuilder target = new StringBuilder("cohort ").append(r.path("cohort").asText());
    if (r.path("labels").size() > 0) {
      java.util.List<String> labels = new java.util.ArrayList<>();
      r.path("labels").fields().forEachRemaining(e -> labels.add(e.getKey() + "=" + e.getValue().asText()));
      target.append(", labels ").append(String.join(",", labels));
    }
    target.append(", bake ").append(r.path("bake").asText().replaceFirst("^PT", "").toLowerCase());
    if (r.hasNonNull("maxNackRate")) {
      target.append(", max NACKs ").append(r.path("maxNackRate").asText());
    }
    return "rollout v" + r.path("version").asText() + " " + r.path("state").asText() + " (" + target + "; "
        + r.path("applied").asLong() + " applied, " + r.path("refused").asLong() + " refused, " + r.path("notInCohort").asLong()
        + " not in cohort)" + (r.hasNonNull("decidedAt") ? " at " + r.path("decidedAt").asText() : "") + ": " + r.path("reason").asText();
  }

  private static String instant(String text) {
    try {
      return Instant.parse(text).toString();
    } catch (java.time.format.DateTimeParseException e) {
      throw new CliFailure(ExitCode.USAGE, "--expires must be an ISO-8601 instant such as 2030-01-01T00:00:00Z, was " + text);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  static void print(PrintWriter out, boolean json, JsonNode v) {
    if (json) {
      var copy = v.deepCopy();
      if (copy instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
        o.remove("envelope"); // the JSON stream carries the spec's fields; `config get` with text shows it
      }
      out.println(copy.toString());
    } else {
      out.printf("%s v%s digest %s%s%n", v.path("scope").asText(), v.path("version").asText(), v.path("digest").asText(),
          v.hasNonNull("publishedAt") ? " published " + v.path("publishedAt").asText() + " signed by " + v.path("signers").asText() : "");
    }
    out.flush();
  }

  static String scopePath(String scope) {
    if (!scope.matches("[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*")) {
      throw new CliFailure(ExitCode.USAGE, "--scope must be tenant/environment, was " + scope);
    }
    return scope;
  }

  static AdminKeyPair readKey(Path file) {
    try {
      return KeyFiles.readPrivateKey(file);
    } catch (IOException | IllegalArgumentException e) {
      throw new CliFailure(ExitCode.REJECTED, "cannot read private key " + file + ": " + e.getMessage());
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.REJECTED, "cannot read " + file + ": " + e.getMessage());
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}

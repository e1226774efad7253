package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.evidence.config.EvidenceKeyFactory;
import dev.quartet.evidence.domain.note.NoteSigner;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/** {@code quartet evidence export (--correlation ID | --execution ID | --from T --to T) --out bundle.zip}. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export events with their inclusion proofs, signed checkpoints, consistency proofs, config snapshots and keys into one zip.")
final class EvidenceExportCommand implements Callable<Integer> {
  @ParentCommand
  EvidenceCommand parent;
  @Spec
  CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  EvidenceCommand.Query.Selector selector;

  @Option(names = "--type", description = "Only events of this type, e.g. config.published")
  String type;

  @Option(names = "--out", required = true, paramLabel = "bundle.zip", description = "The bundle to write (replaced if it exists)")
  Path out;

  @Option(names = "--control-server", paramLabel = "URL",
      description = "Control plane API to fetch config snapshots from (default: --server)")
  String controlServer;

  @Option(names = "--max-events", description = "Refuse selectors matching more events than this (default ${DEFAULT-VALUE})",
      defaultValue = "100000")
  int maxEvents;

  @Option(names = "--checkpoint-wait", description = "Longest wait for recent events to be in a signed checkpoint (default ${DEFAULT-VALUE})",
      defaultValue = "PT30S")
  Duration checkpointWait;

  @Option(names = "--sign-key", paramLabel = "FILE",
      description = "Ed25519 key (PKCS#8 PEM) that signs the manifest; a checkpoint key of the trust root"
          + " (default: the evidence checkpoint key of the data dir)")
  Path signKey;

  @Option(names = "--limit", description = "Events per page fetched from the server (default ${DEFAULT-VALUE})", defaultValue = "500")
  int pageSize;

  @Override
  public Integer call() throws IOException {
    if (maxEvents < 1 || pageSize < 1 || checkpointWait.isNegative()) {
      throw new CliFailure(ExitCode.USAGE, "--max-events and --limit must be positive, --checkpoint-wait not negative");
    }
    Quartet root = parent.root;
    NoteSigner signer = signer(signKey != null ? signKey : DevelopmentTrust.checkpointKeyFile(GlobalOptions.dataDir(root.env)));
    Map<String, String> described = selector.describe();
    StringJoiner query = selector.query();
    if (type != null) {
      described.put("type", type);
      query.add("type=" + EvidenceCommand.encode(type));
    }
    // Config snapshots are a bonus, not a precondition: ask control briefly, then list what is missing.
    ApiClient control = new ApiClient(controlServer != null ? controlServer : root.global.server,
        root.global.resolveToken(root.env),
        new ApiClient.Settings(Duration.ofSeconds(5), Duration.ofSeconds(30), 2, Duration.ofMillis(250), Duration.ofSeconds(1)));
    EvidenceExport.Options options = new EvidenceExport.Options(pageSize, maxEvents, checkpointWait, Duration.ofMillis(250));
    BundleManifest m = new EvidenceExport(root.client(), new ConfigSnapshotFetcher(control), options, Clock.systemUTC(), signer)
        .export(described, query.toString(), out);
    PrintWriter w = spec.commandLine().getOut();
    BundleManifest.Counts c = m.counts();
    if (root.global.json()) {
      w.println(BundleDocuments.JSON.createObjectNode()
          .put("events", c.events()).put("checkpoints", c.checkpoints()).put("consistencyProofs", c.consistencyProofs())
          .put("configSnapshots", c.configSnapshots()).put("missingConfigSnapshots", c.missingConfigSnapshots())
          .put("out", out.toString()).toString());
    } else {
      w.printf("exported %d events, %d checkpoints, %d consistency proofs, %d config snapshots (%d missing) -> %s%n",
          c.events(), c.checkpoints(), c.consistencyProofs(), c.configSnapshots(), c.missingConfigSnapshots(), out);
      m.missingConfigSnapshots().forEach(x -> w.printf("  missing config %s v%s (digest %s): %s%n", x.scope(), x.version(),
          x.digest(), x.reason()));
    }
    w.flush();
    return ExitCode.OK.code();
  }

  private static NoteSigner signer(Path key) {
    if (!Files.isReadable(key)) {
      throw new CliFailure(ExitCode.USAGE, "no key to sign the bundle with: " + key + " is not readable (--sign-key)");
    }
    try {
      return EvidenceKeyFactory.read(key, BundleSignature.KEY_NAME);
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new CliFailure(ExitCode.USAGE, "cannot use " + key + " to sign the bundle: " + Shown.text(e.getMessage()));
    }
  }
}

package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.ExitCode;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.contracts.trust.Verification;
import dev.quartet.evidence.domain.note.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code quartet evidence witness}: follows the log's signed checkpoints from outside, verifies
 * each against the trust root's checkpoint keys, checks it is consistent with the last one seen
 * of its origin (persisted in the state file), and on a split view or fork writes an alert event
 * to the evidence topic (when it can reach Kafka) and exits 1 with one line naming it.
 */
@Command(name = "witness", mixinStandardHelpOptions = true,
    description = "Follow the signed checkpoints and raise an alert when the evidence log forks or rewrites history.")
final class EvidenceWitnessCommand implements Callable<Integer> {
  @ParentCommand
  EvidenceCommand parent;
  @Spec
  CommandSpec spec;

  @Option(names = "--state", paramLabel = "FILE", description = "What this witness has seen (default: witness.json in the data dir)")
  Path state;

  @Option(names = "--trust", paramLabel = "trust.json", description = "Trust root whose checkpoint keys sign the log (default: trust.json in the data dir)")
  Path trust;

  @Option(names = "--once", description = "Check the current checkpoints once and exit")
  boolean once;

  @Option(names = "--interval", paramLabel = "D", defaultValue = "PT10S", description = "Pause between rounds (default ${DEFAULT-VALUE})")
  Duration interval;

  @Option(names = "--kafka", paramLabel = "SERVERS",
      description = "Kafka bootstrap for alert events (default: bootstrap.servers in the data dir, if present)")
  String kafka;

  @Option(names = "--alert-timeout", paramLabel = "D", defaultValue = "PT10S", description = "Bound on writing one alert (default ${DEFAULT-VALUE})")
  Duration alertTimeout;

  @Option(names = "--id", paramLabel = "ID", defaultValue = "witness", description = "This witness's name in alerts (default ${DEFAULT-VALUE})")
  String witnessId;

  @Override
  public Integer call() throws IOException {
    Path dataDir = GlobalOptions.dataDir(parent.root.env);
    Path stateFile = state != null ? state : dataDir.resolve("witness.json");
    CheckpointKeyring keyring = new CheckpointKeyring(trustRoot(trust != null ? trust : dataDir.resolve("trust.json")));
    ApiClient api = parent.root.client();
    PrintWriter out = spec.commandLine().getOut();
    WitnessState seen = readState(stateFile);
    requireSigned(seen, keyring, stateFile);
    while (true) {
      for (JsonNode view : api.getJson("/v1/evidence/checkpoints")) {
        byte[] note = view.path("signedNote").asText().getBytes(StandardCharsets.UTF_8);
        int partition = view.path("partition").asInt();
        Checkpoint cp;
        try {
          cp = keyring.open(note);
        } catch (IllegalArgumentException e) {
          // A checkpoint the trust root does not vouch for proves nothing either way: refuse loudly.
          throw new CliFailure(ExitCode.REJECTED, "witness: checkpoint of partition " + partition + " does not verify: "
              + Shown.text(e.getMessage()));
        }
        WitnessCheck.Outcome outcome = WitnessCheck.observe(seen.origins().get(cp.origin()), cp, new String(note, StandardCharsets.UTF_8),
            (from, to) -> consistency(api, partition, from, to));
        if (outcome instanceof WitnessCheck.Outcome.Forked fork) {
          alert(fork, dataDir);
          throw new CliFailure(ExitCode.REJECTED, fork.line());
        }
        WitnessState.Seen now = outcome instanceof WitnessCheck.Outcome.FirstSeen f ? f.now()
            : outcome instanceof WitnessCheck.Outcome.Extended x ? x.now() : null;
        if (now != null) {
          seen = seen.with(cp.origin(), now);
          seen.write(stateFile);
          report(out, cp, outcome);
        }
      }
      out.flush();
      if (once) {
        return ExitCode.OK.code();
      }
      try {
        Thread.sleep(interval.toMillis());  // the pause between rounds of a long-running follower
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCode.OK.code();
      }
    }
  }

  private void report(PrintWriter out, Checkpoint cp, WitnessCheck.Outcome outcome) {
    String root = HexFormat.of().formatHex(cp.rootHash());
    String what = outcome instanceof WitnessCheck.Outcome.FirstSeen ? "first seen" : "consistent";
    if (parent.root.global.json()) {
      out.println(BundleDocuments.JSON.createObjectNode().put("origin", cp.origin()).put("size", cp.treeSize())
          .put("root", root).put("state", what).toString());
    } else {
      out.printf("%s size %d root %s: %s%n", cp.origin(), cp.treeSize(), root, what);
    }
  }

  private void alert(WitnessCheck.Outcome.Forked fork, Path dataDir) {
    String bootstrap = kafka;
    Path file = dataDir.resolve("bootstrap.servers");
    if (bootstrap == null && Files.isReadable(file)) {
      try {
        bootstrap = Files.readString(file).trim();
      } catch (IOException e) {
        bootstrap = null;
      }
    }
    if (bootstrap == null || bootstrap.isBlank()) {
      spec.commandLine().getErr().println("quartet: witness: no Kafka to write the " + fork.kind() + " alert to (--kafka)");
      return;
    }
    try {
      WitnessAlert.write(bootstrap, WitnessAlert.event(fork, witnessId, Instant.now()), alertTimeout);
    } catch (IllegalStateException e) {
      // The exit code and the line still raise the alarm; say that the event is missing.
      spec.commandLine().getErr().println("quartet: witness: " + Shown.text(e.getMessage()));
    }
  }

  private static List<byte[]> consistency(ApiClient api, int partition, long from, long to) {
    JsonNode proof = api.getJson("/v1/evidence/consistency/" + partition + "?from=" + from + "&to=" + to);
    List<byte[]> hashes = new ArrayList<>();
    for (JsonNode h : proof.path("hashes")) {
      try {
        hashes.add(HexFormat.of().parseHex(h.asText()));
      } catch (IllegalArgumentException e) {
        hashes.add(new byte[0]);  // malformed: the verifier rejects it as a proof hash of the wrong size
      }
    }
    return hashes;
  }

  /**
   * Every view the state holds must be a checkpoint the log signed, so an alert always carries two
   * notes the log cannot deny; a state file edited by hand is refused.
   */
  private static void requireSigned(WitnessState state, CheckpointKeyring keyring, Path file) {
    state.origins().forEach((origin, seen) -> {
      Checkpoint cp;
      try {
        cp = keyring.open(seen.signedNote().getBytes(StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new CliFailure(ExitCode.USAGE, "witness state " + file + ": the note of " + Shown.text(origin)
            + " does not verify: " + Shown.text(e.getMessage()));
      }
      if (!cp.origin().equals(origin) || cp.treeSize() != seen.size()
          || !HexFormat.of().formatHex(cp.rootHash()).equals(seen.rootHex())) {
        throw new CliFailure(ExitCode.USAGE, "witness state " + file + ": " + Shown.text(origin)
            + " does not match its signed note");
      }
    });
  }

  private static WitnessState readState(Path file) {
    try {
      return WitnessState.read(file);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCode.USAGE, e.getMessage());
    }
  }

  private static TrustRoot trustRoot(Path file) {
    try {
      DsseEnvelope envelope = DsseEnvelope.fromJson(Files.readAllBytes(file));
      Verification v = TrustRoot.verifySelfSigned(envelope, Instant.now());
      if (v instanceof Verification.Failed f) {
        throw new CliFailure(ExitCode.REJECTED, "trust root " + file + ": " + f.step() + ": " + Shown.text(f.reason()));
      }
      return TrustRoot.decode(envelope);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.USAGE, "cannot read the trust root " + file + " (" + e.getClass().getSimpleName() + ")");
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCode.REJECTED, "trust root " + file + " is not a signed trust root: " + Shown.text(e.getMessage()));
    }
  }
}

package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code quartet evidence verify bundle.zip --trust trust.json}: offline, exit 0 or exit 1 naming the first failing step. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify an evidence bundle against a pinned trust root. Needs no server and no network.")
final class EvidenceVerifyCommand implements Callable<Integer> {
  @ParentCommand
  EvidenceCommand parent;
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "bundle.zip", description = "A bundle written by quartet evidence export")
  Path bundle;

  @Option(names = "--trust", required = true, paramLabel = "trust.json", description = "The signed trust root to verify against")
  Path trust;

  @Override
  public Integer call() {
    byte[] trustJson = read(trust, "trust root");
    if (!Files.isRegularFile(bundle) || !Files.isReadable(bundle)) {
      throw new CliFailure(ExitCode.USAGE, "cannot read the bundle " + bundle);
    }
    long started = System.nanoTime();
    BundleVerification result;
    try (BundleEntries entries = BundleEntries.open(bundle, BundleEntries.Limits.defaults())) {
      result = BundleVerifier.verify(trustJson, entries, Instant.now());
    } catch (IllegalArgumentException e) {
      result = new BundleVerification.Failed("bundle", Shown.text(e.getMessage()));
    } catch (IOException | UncheckedIOException e) {
      result = new BundleVerification.Failed("bundle", "unreadable: " + Shown.text(e.getMessage()));
    }
    if (result instanceof BundleVerification.Failed f) {
      throw new CliFailure(ExitCode.REJECTED, f.line());
    }
    BundleVerification.Verified v = (BundleVerification.Verified) result;
    long millis = (System.nanoTime() - started) / 1_000_000;
    PrintWriter w = spec.commandLine().getOut();
    if (parent.root.global.json()) {
      w.println(BundleDocuments.JSON.createObjectNode().put("verified", true).put("events", v.events())
          .put("provenByRange", v.provenByRange()).put("provenByProof", v.provenByProof())
          .put("checkpoints", v.checkpoints()).put("consistencyProofs", v.consistencyProofs())
          .put("configSnapshots", v.configSnapshots()).put("missingConfigSnapshots", v.missingConfigSnapshots())
          .put("trustVersion", v.trustVersion()).put("millis", millis).toString());
    } else {
      w.printf("verified %d events against %d signed checkpoints (%d consistency proofs; %d events by whole-tree"
              + " recompute, %d by inclusion proof), %d config snapshots (%d listed missing), trust root v%d, in %d ms%n",
          v.events(), v.checkpoints(), v.consistencyProofs(), v.provenByRange(), v.provenByProof(), v.configSnapshots(),
          v.missingConfigSnapshots(), v.trustVersion(), millis);
    }
    w.flush();
    return ExitCode.OK.code();
  }

  private static byte[] read(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.USAGE, "cannot read the " + what + " " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }
}

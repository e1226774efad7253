package dev.quartet.execution.config;

import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.contracts.trust.Verification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Loads the trust root a worker is pinned to. The pin is the file itself (spec: "Workers start
 * from a pinned trust root file"); its self-signature and expiry are checked so that a damaged or
 * stale file stops the worker at start rather than failing every snapshot later.
 */
public final class PinnedTrustRoot {
  private PinnedTrustRoot() {}

  /**
   * The verified root in {@code file}.
   *
   * @throws IllegalArgumentException if no file is configured
   * @throws IllegalStateException if the file cannot be read, is not a DSSE envelope, or its root
   *     does not verify at {@code now}
   */
  public static TrustRoot load(String file, Instant now) {
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException("no trust root: set quartet.worker.trust-file (quartet worker --trust FILE); "
          + "a worker verifies every snapshot against a pinned root and does not start without one");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the trust root " + file + ": " + e.getMessage(), e);
    }
    DsseEnvelope envelope;
    try {
      envelope = DsseEnvelope.fromJson(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " is not a DSSE envelope: " + e.getMessage(), e);
    }
    Verification v = TrustRoot.verifySelfSigned(envelope, now);
    if (v instanceof Verification.Failed f) {
      throw new IllegalStateException("trust root " + file + " rejected at step " + f.step() + ": " + f.reason());
    }
    return TrustRoot.decode(envelope);
  }
}

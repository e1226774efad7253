package dev.quartet.cli;

import dev.quartet.evidence.domain.note.NoteSigner;
import dev.quartet.evidence.domain.note.SignedNote;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bundle's signature, {@code manifest.sig}: a C2SP signed note over the SHA-256 of the exact
 * manifest bytes, by a checkpoint key of the trust root. The manifest lists every event and the
 * hash of every entry, so dropping whole events and rewriting the manifest to match is caught by
 * a signature the tamperer cannot make.
 */
final class BundleSignature {
  /** Signed-note key name of bundle signatures; verification pairs signatures with the trust root's keys, not with names. */
  static final String KEY_NAME = "quartet.dev/evidence-export";

  private BundleSignature() {}

  /** The signed statement for {@code manifest} (its exact bytes). */
  static byte[] sign(byte[] manifest, NoteSigner signer) {
    String text = statement(manifest);
    return new SignedNote(text, List.of(signer.sign(text))).format().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Checks {@code note} signs exactly {@code manifest} under a checkpoint key of {@code keyring}.
   *
   * @throws BundleStepException at step {@code signature} otherwise
   */
  static void verify(byte[] note, byte[] manifest, CheckpointKeyring keyring) {
    if (note == null) {
      throw new BundleStepException("signature", "the bundle is not signed (no " + BundleLayout.SIGNATURE + ")");
    }
    String text;
    try {
      text = keyring.openText(note);
    } catch (IllegalArgumentException e) {
      throw new BundleStepException("signature", Shown.text(e.getMessage()));
    }
    if (!text.equals(statement(manifest))) {
      throw new BundleStepException("signature", "the signature is not over this manifest (manifest sha256 "
          + BundleWriter.sha256Hex(manifest) + ")");
    }
  }

  private static String statement(byte[] manifest) {
    return BundleLayout.FORMAT + "\nmanifest sha256 " + BundleWriter.sha256Hex(manifest) + "\n";
  }
}

package dev.quartet.cli;

import dev.quartet.contracts.trust.Ed25519PublicKey;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.evidence.domain.note.Checkpoint;
import dev.quartet.evidence.domain.note.MalformedNoteException;
import dev.quartet.evidence.domain.note.NoteSignature;
import dev.quartet.evidence.domain.note.NoteVerification;
import dev.quartet.evidence.domain.note.NoteVerifier;
import dev.quartet.evidence.domain.note.NoteVerifiers;
import dev.quartet.evidence.domain.note.SignedNote;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens signed checkpoint notes with the checkpoint keys of a trust root. A trust root lists raw
 * Ed25519 keys; a note names its signer as key name + key ID, so each signature is matched against
 * every trusted key under the name the note gives (the key ID binds name and key, C2SP signed-note).
 * Verifier keys are derived once per name and key, not once per note.
 */
final class CheckpointKeyring {
  private final List<byte[]> keys = new ArrayList<>();
  private final int trustVersion;
  private final Map<String, List<NoteVerifier>> byName = new HashMap<>();

  CheckpointKeyring(TrustRoot root) {
    for (Ed25519PublicKey k : root.checkpointKeys()) {
      keys.add(k.raw());
    }
    this.trustVersion = root.version();
  }

  /** How many checkpoint keys the trust root lists. */
  int size() {
    return keys.size();
  }

  /**
   * Verifies {@code note} and returns the checkpoint it signs (32-byte root).
   *
   * @throws IllegalArgumentException with the reason when the note is malformed, carries no valid
   *     signature by a trusted checkpoint key, or does not hold a checkpoint
   */
  Checkpoint open(byte[] note) {
    String text = openText(note);
    Checkpoint body;
    try {
      body = Checkpoint.parse(text);
    } catch (MalformedNoteException e) {
      throw new IllegalArgumentException("signed note holds no checkpoint: " + Shown.text(e.getMessage()));
    }
    if (body.rootHash().length != Checkpoint.SHA256_ROOT_BYTES) {
      throw new IllegalArgumentException("checkpoint root is " + body.rootHash().length + " bytes, expected "
          + Checkpoint.SHA256_ROOT_BYTES);
    }
    return body;
  }

  /**
   * Verifies {@code note} and returns its text: the statement a trusted checkpoint key signed.
   *
   * @throws IllegalArgumentException with the reason when the note is malformed or carries no valid signature by a trusted key
   */
  String openText(byte[] note) {
    SignedNote parsed;
    try {
      parsed = SignedNote.parse(note);
    } catch (MalformedNoteException e) {
      throw new IllegalArgumentException("malformed signed note: " + Shown.text(e.getMessage()));
    }
    Set<NoteVerifier> candidates = new LinkedHashSet<>();
    for (NoteSignature s : parsed.signatures()) {
      for (NoteVerifier v : verifiers(s.keyName())) {
        if (v.keyId() == s.keyId()) {
          candidates.add(v);
        }
      }
    }
    NoteVerification opened = NoteVerifiers.of(candidates).verify(parsed);
    if (opened instanceof NoteVerification.Failed f) {
      if ("signatures".equals(f.step())) {
        throw new IllegalArgumentException("no signature by a checkpoint key of trust root v" + trustVersion
            + " (" + keys.size() + " listed); signed by " + signers(parsed));
      }
      throw new IllegalArgumentException(f.step() + ": " + Shown.text(f.reason()));
    }
    return parsed.text();
  }

  private List<NoteVerifier> verifiers(String name) {
    return byName.computeIfAbsent(name, n -> {
      List<NoteVerifier> out = new ArrayList<>(keys.size());
      keys.forEach(k -> out.add(NoteVerifier.of(n, k)));
      return out;
    });
  }

  private static String signers(SignedNote note) {
    List<String> out = new ArrayList<>();
    for (NoteSignature s : note.signatures()) {
      out.add(Shown.text(s.keyName()) + "+" + s.keyIdHex());
    }
    return String.join(", ", out);
  }
}

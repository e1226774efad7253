package dev.quartet.evidence.domain.note;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The note verifier keys a reader trusts, and the C2SP signed-note "Signatures" rules for
 * opening a note with them, as golang.org/x/mod/sumdb/note Open applies them: signatures by
 * unknown keys are set aside, not failures; a known key's bad signature fails the note; a note
 * with no verified known signature fails. Two trusted keys sharing name and key ID are
 * ambiguous, which fails only a note that carries a signature under that pair.
 */
public final class NoteVerifiers {
  private final List<NoteVerifier> known;

  private NoteVerifiers(List<NoteVerifier> known) {
    this.known = known;
  }

  /** Trusts exactly {@code known} (may be empty: then no note verifies). */
  public static NoteVerifiers of(Collection<NoteVerifier> known) {
    return new NoteVerifiers(List.copyOf(known));
  }

  /**
   * Trusts the keys in vkey form.
   *
   * @throws MalformedNoteException naming the first key string that does not parse
   */
  public static NoteVerifiers parse(Collection<String> vkeys) {
    List<NoteVerifier> out = new ArrayList<>(vkeys.size());
    for (String vkey : vkeys) {
      out.add(NoteVerifier.parse(vkey));
    }
    return new NoteVerifiers(out);
  }

  /** The trusted keys. */
  public List<NoteVerifier> known() {
    return known;
  }

  /** Parses then verifies untrusted note bytes; a malformed note is {@code Failed("parse", ...)}. */
  public NoteVerification verify(byte[] note) {
    Objects.requireNonNull(note, "note");
    SignedNote parsed;
    try {
      parsed = SignedNote.parse(note);
    } catch (MalformedNoteException e) {
      return new NoteVerification.Failed("parse", e.getMessage());
    }
    return verify(parsed);
  }

  /** Verifies every signature of {@code note} that a known key made, in order. */
  public NoteVerification verify(SignedNote note) {
    List<NoteSignature> signatures = note.signatures();
    List<NoteSignature> verified = new ArrayList<>();
    Set<NoteSignature> unverified = new LinkedHashSet<>();
    Set<String> seenKeys = new LinkedHashSet<>();
    Set<NoteSignature> checked = new LinkedHashSet<>();
    for (int i = 0; i < signatures.size(); i++) {
      NoteSignature s = signatures.get(i);
      String key = s.keyName() + "+" + s.keyIdHex();
      List<NoteVerifier> matches = matching(s);
      if (matches.isEmpty()) {
        // C2SP: unknown keys MUST be ignored, even if they share a name or an ID with a known key.
        unverified.add(s);
        continue;
      }
      if (matches.size() > 1) {
        return new NoteVerification.Failed("key", "ambiguous key " + key + ": " + matches.size() + " trusted keys share that name and ID");
      }
      if (!checked.add(s)) {
        continue; // the same line repeated adds nothing (sumdb/note drops repeats too)
      }
      // C2SP: a signature under a known name and ID MUST be verified, each distinct one, and a
      // failure SHOULD reject the whole note (sumdb/note checks only a key's first signature).
      if (!matches.get(0).verifies(note, s)) {
        return new NoteVerification.Failed("signature[" + i + "]", "invalid signature for known key " + key);
      }
      if (seenKeys.add(key)) {
        verified.add(s);
      }
    }
    if (verified.isEmpty()) {
      return new NoteVerification.Failed("signatures", "no signature from a known key; " + unverified.size()
          + " by unknown keys " + names(unverified) + ", " + known.size() + " keys trusted");
    }
    return new NoteVerification.Verified(note, verified, new ArrayList<>(unverified));
  }

  private List<NoteVerifier> matching(NoteSignature s) {
    List<NoteVerifier> out = new ArrayList<>(1);
    for (NoteVerifier v : known) {
      if (v.name().equals(s.keyName()) && v.keyId() == s.keyId()) {
        out.add(v);
      }
    }
    return out;
  }

  private static List<String> names(Collection<NoteSignature> signatures) {
    List<String> out = new ArrayList<>(signatures.size());
    for (NoteSignature s : signatures) {
      out.add(s.keyName() + "+" + s.keyIdHex());
    }
    return out;
  }

  @Override
  public String toString() {
    List<String> keys = new ArrayList<>(known.size());
    for (NoteVerifier v : known) {
      keys.add(v.name() + "+" + String.format("%08x", v.keyId()));
    }
    return "NoteVerifiers" + keys;
  }
}

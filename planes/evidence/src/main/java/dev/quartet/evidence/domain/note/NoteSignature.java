package dev.quartet.evidence.domain.note;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One signature line of a signed note (C2SP signed-note "Signatures"):
 * {@code — <keyName> base64(keyId ‖ signature)}. The pair (keyName, keyId) names the key.
 */
public record NoteSignature(String keyName, int keyId, byte[] signature) {
  /** Em dash U+2014 and a space open every signature line. */
  public static final String LINE_PREFIX = "\u2014 ";
  /** Upper bound on the signature bytes after the key ID: post-quantum signatures run to nearly 5 kB (C2SP signed-note). */
  public static final int MAX_SIGNATURE_BYTES = 8192;
  private static final int KEY_ID_BYTES = 4;

  /** @throws MalformedNoteException for an invalid key name or an empty or oversized signature */
  public NoteSignature {
    NoteSyntax.requireKeyName(keyName, "signature");
    Objects.requireNonNull(signature, "signature");
    if (signature.length == 0 || signature.length > MAX_SIGNATURE_BYTES) {
      throw new MalformedNoteException("signature by " + keyName + ": " + signature.length
          + " signature bytes, expected 1 to " + MAX_SIGNATURE_BYTES);
    }
    signature = signature.clone();
  }

  /** Parses one line without its newline: prefix, name, one space, base64 of 4-byte key ID and signature. */
  static NoteSignature parseLine(String line, String where) {
    if (!line.startsWith(LINE_PREFIX)) {
      throw new MalformedNoteException(where + ": does not start with em dash and space");
    }
    String rest = line.substring(LINE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space < 0) {
      throw new MalformedNoteException(where + ": no space between key name and signature");
    }
    String name = NoteSyntax.requireKeyName(rest.substring(0, space), where);
    byte[] blob = NoteSyntax.base64(rest.substring(space + 1), where);
    if (blob.length <= KEY_ID_BYTES) {
      throw new MalformedNoteException(where + ": " + blob.length + " bytes is too short for a key ID and a signature");
    }
    ByteBuffer in = ByteBuffer.wrap(blob);
    int keyId = in.getInt();
    byte[] sig = new byte[in.remaining()];
    in.get(sig);
    try {
      return new NoteSignature(name, keyId, sig);
    } catch (MalformedNoteException e) {
      throw new MalformedNoteException(where + ": " + e.getMessage());
    }
  }

  /** The line as it appears in a note, newline included. */
  public String line() {
    byte[] blob = ByteBuffer.allocate(KEY_ID_BYTES + signature.length).putInt(keyId).put(signature).array();
    return LINE_PREFIX + keyName + " " + Base64.getEncoder().encodeToString(blob) + "\n";
  }

  /** The key ID as 8 lowercase hex digits, as in a verifier key string. */
  public String keyIdHex() {
    return String.format("%08x", keyId);
  }

  /** A copy of the signature bytes (without the key ID). */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteSignature s && keyName.equals(s.keyName) && keyId == s.keyId && Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return (keyName.hashCode() * 31 + keyId) * 31 + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "NoteSignature[" + keyName + "+" + keyIdHex() + ", " + signature.length + " bytes]";
  }
}

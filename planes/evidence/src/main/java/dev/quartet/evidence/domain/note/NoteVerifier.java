package dev.quartet.evidence.domain.note;

import dev.quartet.contracts.trust.Ed25519;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An Ed25519 note verifier key (C2SP signed-note "Ed25519 signatures"), written as the vkey
 * string {@code <name>+<8 lowercase hex key ID>+base64(0x01 ‖ 32-byte public key)} of
 * golang.org/x/mod/sumdb/note. The key ID is always derived, never trusted from input.
 */
public record NoteVerifier(String name, int keyId, byte[] publicKey) {
  /** C2SP signed-note signature type of Ed25519. */
  public static final byte ED25519_TYPE = 0x01;
  private static final String KEY_ID_SYNTAX = "[0-9a-f]{8}";

  /** @throws MalformedNoteException for a bad name, a key that is not a prime-order Ed25519 point, or a key ID that does not match */
  public NoteVerifier {
    NoteSyntax.requireKeyName(name, "verifier key");
    if (!Ed25519.isValidPublicKey(publicKey)) {
      throw new MalformedNoteException("verifier key " + name + ": not a canonical 32-byte Ed25519 public key of prime order");
    }
    publicKey = publicKey.clone();
    int derived = keyId(name, publicKey);
    if (keyId != derived) {
      throw new MalformedNoteException("verifier key " + name + ": key ID " + String.format("%08x", keyId)
          + ", but the name and key give " + String.format("%08x", derived));
    }
  }

  /** The verifier for {@code publicKey} under {@code name}, its key ID derived. */
  public static NoteVerifier of(String name, byte[] publicKey) {
    NoteSyntax.requireKeyName(name, "verifier key");
    if (!Ed25519.isValidPublicKey(publicKey)) {
      throw new MalformedNoteException("verifier key " + name + ": not a canonical 32-byte Ed25519 public key of prime order");
    }
    return new NoteVerifier(name, keyId(name, publicKey), publicKey);
  }

  /**
   * Parses a vkey string.
   *
   * @throws MalformedNoteException for the wrong number of parts, a key ID that is not 8 lowercase
   *     hex digits or does not match, bad base64, a signature type other than Ed25519 or a bad key
   */
  public static NoteVerifier parse(String vkey) {
    Objects.requireNonNull(vkey, "vkey");
    // Split at the first two '+' only: standard base64 uses '+' too.
    String[] parts = vkey.split("\\+", 3);
    if (parts.length != 3) {
      throw new MalformedNoteException("verifier key: expected name+keyid+key, got " + parts.length + " '+'-separated parts");
    }
    String name = NoteSyntax.requireKeyName(parts[0], "verifier key");
    if (!parts[1].matches(KEY_ID_SYNTAX)) {
      throw new MalformedNoteException("verifier key " + name + ": key ID is not 8 lowercase hex digits");
    }
    byte[] typed = NoteSyntax.base64(parts[2], "verifier key " + name);
    return new NoteVerifier(name, Integer.parseUnsignedInt(parts[1], 16), ed25519Key(typed, "verifier key " + name));
  }

  /** The vkey string form. */
  public String vkey() {
    return name + "+" + String.format("%08x", keyId) + "+" + Base64.getEncoder().encodeToString(typedKey(publicKey));
  }

  /** True when {@code signature} names this key and verifies over the note's signed text (strict cofactorless Ed25519). */
  public boolean verifies(SignedNote note, NoteSignature signature) {
    return signature.keyName().equals(name) && signature.keyId() == keyId
        && Ed25519.verify(publicKey, note.signedBytes(), signature.signature());
  }

  /** C2SP signed-note: key ID = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], big-endian. */
  public static int keyId(String name, byte[] publicKey) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(name.getBytes(StandardCharsets.UTF_8));
      d.update((byte) '\n');
      d.update(typedKey(publicKey));
      return ByteBuffer.wrap(d.digest()).getInt();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  /** Splits 0x01 ‖ key, checking the type byte and length. */
  static byte[] ed25519Key(byte[] typed, String what) {
    if (typed.length == 0 || typed[0] != ED25519_TYPE) {
      throw new MalformedNoteException(what + ": signature type "
          + (typed.length == 0 ? "missing" : String.format("0x%02x", typed[0])) + " is not Ed25519 (0x01), the only type supported");
    }
    if (typed.length != 1 + Ed25519.PUBLIC_KEY_BYTES) {
      throw new MalformedNoteException(what + ": Ed25519 key is " + (typed.length - 1) + " bytes, expected " + Ed25519.PUBLIC_KEY_BYTES);
    }
    return Arrays.copyOfRange(typed, 1, typed.length);
  }

  static byte[] typedKey(byte[] key) {
    byte[] typed = new byte[1 + key.length];
    typed[0] = ED25519_TYPE;
    System.arraycopy(key, 0, typed, 1, key.length);
    return typed;
  }

  /** A copy of the raw 32-byte public key. */
  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteVerifier v && name.equals(v.name) && keyId == v.keyId && Arrays.equals(publicKey, v.publicKey);
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + keyId) * 31 + Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "NoteVerifier[" + name + "+" + String.format("%08x", keyId) + ", " + HexFormat.of().formatHex(publicKey) + "]";
  }
}

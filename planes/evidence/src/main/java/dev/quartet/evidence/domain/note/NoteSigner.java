package dev.quartet.evidence.domain.note;

import dev.quartet.contracts.trust.Ed25519;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * An Ed25519 note signer key, written as the skey string
 * {@code PRIVATE+KEY+<name>+<8 hex key ID>+base64(0x01 ‖ 32-byte seed)} of
 * golang.org/x/mod/sumdb/note. Holds the private seed: {@link #toString} shows only name and ID.
 */
public final class NoteSigner {
  private static final String PREFIX = "PRIVATE+KEY+";

  private final byte[] seed;
  private final NoteVerifier verifier;

  private NoteSigner(String name, byte[] seed) {
    this.seed = seed.clone();
    this.verifier = NoteVerifier.of(name, Ed25519.publicKeyOf(this.seed));
  }

  /**
   * The signer for a 32-byte Ed25519 seed (RFC 8032 secret key) under {@code name}.
   *
   * @throws MalformedNoteException for an invalid key name
   * @throws IllegalArgumentException unless the seed is 32 bytes
   */
  public static NoteSigner of(String name, byte[] seed) {
    NoteSyntax.requireKeyName(name, "signer key");
    if (seed == null || seed.length != Ed25519.SEED_BYTES) {
      throw new IllegalArgumentException("signer key " + name + ": an Ed25519 seed is " + Ed25519.SEED_BYTES + " bytes");
    }
    return new NoteSigner(name, seed);
  }

  /**
   * Parses an skey string; the key ID must match the one derived from the name and public key.
   *
   * @throws MalformedNoteException for a missing PRIVATE+KEY+ prefix, a bad name, key ID, base64,
   *     signature type or seed length, or a key ID that does not match
   */
  public static NoteSigner parse(String skey) {
    Objects.requireNonNull(skey, "skey");
    if (!skey.startsWith(PREFIX)) {
      throw new MalformedNoteException("signer key: does not start with PRIVATE+KEY+");
    }
    // Split at the first two '+' only: standard base64 uses '+' too.
    String[] parts = skey.substring(PREFIX.length()).split("\\+", 3);
    if (parts.length != 3) {
      throw new MalformedNoteException("signer key: expected PRIVATE+KEY+name+keyid+key, got " + parts.length + " parts after the prefix");
    }
    String name = NoteSyntax.requireKeyName(parts[0], "signer key");
    if (!parts[1].matches("[0-9a-f]{8}")) {
      throw new MalformedNoteException("signer key " + name + ": key ID is not 8 lowercase hex digits");
    }
    byte[] seed = NoteVerifier.ed25519Key(NoteSyntax.base64(parts[2], "signer key " + name), "signer key " + name);
    NoteSigner signer = new NoteSigner(name, seed);
    int given = Integer.parseUnsignedInt(parts[1], 16);
    if (given != signer.keyId()) {
      throw new MalformedNoteException("signer key " + name + ": key ID " + parts[1] + ", but the name and key give " + String.format("%08x", signer.keyId()));
    }
    return signer;
  }

  /** The key name. */
  public String name() {
    return verifier.name();
  }

  /** The key ID, as in signatures and the vkey. */
  public int keyId() {
    return verifier.keyId();
  }

  /** The matching verifier key (publish its {@link NoteVerifier#vkey()}). */
  public NoteVerifier verifier() {
    return verifier;
  }

  /**
   * Signs a note text (Ed25519 is deterministic: the same text gives the same signature).
   *
   * @throws MalformedNoteException unless {@code text} is valid note text (see {@link SignedNote})
   */
  public NoteSignature sign(String text) {
    byte[] message = SignedNote.requireText(text).getBytes(StandardCharsets.UTF_8);
    return new NoteSignature(name(), keyId(), Ed25519.sign(seed, message));
  }

  /** The secret skey string: for key generation tooling only, never to be logged. */
  public String skey() {
    return PREFIX + name() + "+" + String.format("%08x", keyId()) + "+"
        + Base64.getEncoder().encodeToString(NoteVerifier.typedKey(seed));
  }

  @Override
  public String toString() {
    return "NoteSigner[" + name() + "+" + String.format("%08x", keyId()) + "]";
  }
}

package dev.quartet.contracts.trust;

import java.util.Arrays;
import java.util.Base64;

/** A raw 32-byte Ed25519 public key that passed Quartet's key checks (canonical, prime order). */
public record Ed25519PublicKey(byte[] raw) {
  /** @throws IllegalArgumentException unless {@code raw} is a valid Ed25519 public key (see {@link Ed25519#isValidPublicKey}) */
  public Ed25519PublicKey {
    if (!Ed25519.isValidPublicKey(raw)) {
      throw new IllegalArgumentException("Ed25519PublicKey: not a canonical 32-byte Ed25519 point of prime order");
    }
    raw = raw.clone();
  }

  /** Decodes the standard base64 form used in trust root documents. */
  public static Ed25519PublicKey fromBase64(String base64) {
    try {
      return new Ed25519PublicKey(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("Ed25519PublicKey: not a base64 Ed25519 public key", e);
    }
  }

  /** A copy of the 32 key bytes. */
  @Override
  public byte[] raw() {
    return raw.clone();
  }

  /** SHA-256 of the raw key, hex. */
  public KeyId keyId() {
    return KeyId.of(raw);
  }

  /** Standard base64 of the raw key. */
  public String base64() {
    return Base64.getEncoder().encodeToString(raw);
  }

  /** Verifies a signature over {@code message} (strict cofactorless, see {@link Ed25519}). */
  public boolean verifies(byte[] message, byte[] signature) {
    return Ed25519.verifyWithCheckedKey(raw, message, signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PublicKey other && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey[" + keyId() + "]";
  }
}

package dev.quartet.contracts.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of an Ed25519 public key: lowercase hex SHA-256 of the raw 32-byte key (spec "Trust
 * and configuration"). Comparable so key sets print and serialize in a stable order.
 */
public record KeyId(String hex) implements Comparable<KeyId> {
  /** @throws IllegalArgumentException unless {@code hex} is 64 lowercase hex digits */
  public KeyId {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("KeyId: 64 lowercase hex");
    }
  }

  /** The key id of a raw 32-byte Ed25519 public key. */
  public static KeyId of(byte[] rawPublicKey) {
    if (rawPublicKey == null || rawPublicKey.length != Ed25519.PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("KeyId: an Ed25519 public key is 32 bytes");
    }
    return new KeyId(HexFormat.of().formatHex(sha256(rawPublicKey)));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  @Override
  public int compareTo(KeyId other) {
    return hex.compareTo(other.hex);
  }

  @Override
  public String toString() {
    return hex;
  }
}

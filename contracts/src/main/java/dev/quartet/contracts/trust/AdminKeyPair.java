package dev.quartet.contracts.trust;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * An admin's Ed25519 key pair: the private seed and its public key. Lives on the admin's machine
 * (spec: the control plane never holds admin private keys); {@link #toString()} shows only the id.
 */
public final class AdminKeyPair {
  private final byte[] seed;
  private final Ed25519PublicKey publicKey;

  private AdminKeyPair(byte[] seed) {
    this.seed = seed;
    this.publicKey = new Ed25519PublicKey(Ed25519.publicKeyOf(seed));
  }

  /** A fresh key pair from {@code random}. */
  public static AdminKeyPair generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] seed = new byte[Ed25519.SEED_BYTES];
    random.nextBytes(seed);
    return new AdminKeyPair(seed);
  }

  /**
   * The key pair of a 32-byte RFC 8032 private key (copied).
   *
   * @throws IllegalArgumentException if {@code seed} is not 32 bytes
   */
  public static AdminKeyPair fromSeed(byte[] seed) {
    if (seed == null || seed.length != Ed25519.SEED_BYTES) {
      throw new IllegalArgumentException("AdminKeyPair: a private key seed is 32 bytes");
    }
    return new AdminKeyPair(seed.clone());
  }

  /** The public half. */
  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** The public key's id. */
  public KeyId keyId() {
    return publicKey.keyId();
  }

  /** An Ed25519 signature over {@code message}. */
  public byte[] sign(byte[] message) {
    return Ed25519.sign(seed, message);
  }

  /** A copy of the private seed, for writing the key file; callers should clear it after use. */
  byte[] seed() {
    return seed.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdminKeyPair other && MessageDigest.isEqual(seed, other.seed);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "AdminKeyPair[" + publicKey.keyId() + "]";
  }
}

package dev.quartet.contracts.trust;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Pure Ed25519 (RFC 8032, no context, no prehash) over BouncyCastle's lightweight API, with
 * Quartet's verification policy: strict and cofactorless.
 *
 * <p>BouncyCastle verifies with the cofactored equation and rejects non-canonical encodings and
 * small-order public keys. Quartet wants every implementation to agree on every signature, so on
 * top of that it requires both the public key A and the signature's R to be canonical points of
 * the prime-order subgroup (and not the identity). With A, R and B all in that subgroup the
 * cofactored check [8]([S]B - R - [k]A) = 0 holds exactly when [S]B = R + [k]A, which is the
 * cofactorless equation; honest keys and signatures always pass.
 */
public final class Ed25519 {
  /** Length of a raw public key. */
  public static final int PUBLIC_KEY_BYTES = 32;
  /** Length of a private key seed (RFC 8032 "secret key"). */
  public static final int SEED_BYTES = 32;
  /** Length of a signature R || S. */
  public static final int SIGNATURE_BYTES = 64;

  private Ed25519() {}

  /** The raw public key of a 32-byte seed. */
  public static byte[] publicKeyOf(byte[] seed) {
    return new Ed25519PrivateKeyParameters(checkSeed(seed), 0).generatePublicKey().getEncoded();
  }

  /** Signs {@code message}; Ed25519 signatures are deterministic. */
  public static byte[] sign(byte[] seed, byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, new Ed25519PrivateKeyParameters(checkSeed(seed), 0));
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /**
   * True when {@code publicKey} is a canonical encoding of a point of prime order: the only keys
   * Quartet accepts (rejects small-order and mixed-order keys, which make signatures malleable).
   */
  public static boolean isValidPublicKey(byte[] publicKey) {
    return publicKey != null && publicKey.length == PUBLIC_KEY_BYTES
        && org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(publicKey, 0);
  }

  /** Verifies {@code signature} over {@code message} under the strict cofactorless policy; never throws on bad input. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    return isValidPublicKey(publicKey) && verifyWithCheckedKey(publicKey, message, signature);
  }

  /** {@link #verify} for a key that already passed {@link #isValidPublicKey} (an {@link Ed25519PublicKey}). */
  static boolean verifyWithCheckedKey(byte[] publicKey, byte[] message, byte[] signature) {
    if (message == null || signature == null || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    // R must lie in the prime-order subgroup too: this is what makes BouncyCastle's cofactored
    // check equivalent to the cofactorless one (see class comment, C2SP/CCTV ed25519vectors).
    if (!org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(signature, 0)) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  private static byte[] checkSeed(byte[] seed) {
    if (seed == null || seed.length != SEED_BYTES) {
      throw new IllegalArgumentException("Ed25519: a private key seed is 32 bytes");
    }
    return seed;
  }
}

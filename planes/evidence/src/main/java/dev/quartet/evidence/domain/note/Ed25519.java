package dev.quartet.evidence.domain.note;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Pure Ed25519 (RFC 8032, no context, no prehash) over BouncyCastle's lightweight API, with
 * Quartet's verification policy (the same as contracts' trust.Ed25519): strict and cofactorless.
 * BouncyCastle checks the cofactored equation; requiring the public key A and the signature's R
 * to be canonical points of the prime-order subgroup makes that equivalent to the cofactorless
 * one, so every conforming verifier agrees on every signature (C2SP/CCTV ed25519vectors).
 */
final class Ed25519 {
  static final int PUBLIC_KEY_BYTES = 32;
  static final int SEED_BYTES = 32;
  static final int SIGNATURE_BYTES = 64;

  private Ed25519() {}

  static byte[] publicKeyOf(byte[] seed) {
    return new Ed25519PrivateKeyParameters(checkSeed(seed), 0).generatePublicKey().getEncoded();
  }

  static byte[] sign(byte[] seed, byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, new Ed25519PrivateKeyParameters(checkSeed(seed), 0));
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** Canonical encoding of a point of prime order: small-order and mixed-order keys make signatures malleable. */
  static boolean isValidPublicKey(byte[] publicKey) {
    return publicKey != null && publicKey.length == PUBLIC_KEY_BYTES
        && org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(publicKey, 0);
  }

  /** Never throws on bad input: a malformed key or signature simply does not verify. */
  static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (message == null || signature == null || signature.length != SIGNATURE_BYTES || !isValidPublicKey(publicKey)) {
      return false;
    }
    // R (the first 32 signature bytes) must be in the prime-order subgroup too; see class comment.
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
      throw new IllegalArgumentException("Ed25519: a private key seed is " + SEED_BYTES + " bytes");
    }
    return seed;
  }
}

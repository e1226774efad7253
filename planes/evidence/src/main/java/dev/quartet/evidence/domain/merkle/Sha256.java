package dev.quartet.evidence.domain.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests for the tree: cloned from one prototype, because getInstance's provider lookup costs more than hashing 65 bytes. */
final class Sha256 {
  static final int BYTES = 32;
  private static final MessageDigest PROTOTYPE = create();

  private Sha256() {}

  static MessageDigest digest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return create();
    }
  }

  private static MessageDigest create() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE runtime must provide SHA-256 (MessageDigest Javadoc), so this is a broken JVM.
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}

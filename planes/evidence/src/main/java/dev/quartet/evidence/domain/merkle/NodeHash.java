package dev.quartet.evidence.domain.merkle;

import java.security.MessageDigest;

/** RFC 9162 §2.1.1 interior node hash: SHA-256(0x01 ‖ left ‖ right), plus the empty-tree root. */
public final class NodeHash {
  /** Every hash in the tree (leaf, node, root) is a SHA-256 output of this many bytes. */
  public static final int BYTES = Sha256.BYTES;
  private static final byte NODE_PREFIX = 0x01;
  private static final byte[] EMPTY_ROOT = Sha256.digest().digest();

  private NodeHash() {}

  /**
   * The hash of an interior node over two children.
   *
   * @throws IllegalArgumentException unless both children are 32-byte hashes
   */
  public static byte[] of(byte[] left, byte[] right) {
    requireHash(left, "left child");
    requireHash(right, "right child");
    return ofAnyLength(left, right);
  }

  /** The node formula without the length check: only for the published hasher vector, whose children are short ASCII strings. */
  static byte[] ofAnyLength(byte[] left, byte[] right) {
    MessageDigest d = Sha256.digest();
    d.update(NODE_PREFIX);
    d.update(left);
    d.update(right);
    return d.digest();
  }

  /** RFC 9162 §2.1.1: the root of the empty tree is SHA-256 of the empty string. */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  /** True when {@code hash} is non-null and exactly {@link #BYTES} long. */
  public static boolean isHash(byte[] hash) {
    return hash != null && hash.length == BYTES;
  }

  /**
   * Returns {@code hash} when it is a 32-byte hash.
   *
   * @throws IllegalArgumentException otherwise, naming {@code what} and the length seen
   */
  public static byte[] requireHash(byte[] hash, String what) {
    if (!isHash(hash)) {
      throw new IllegalArgumentException(what + ": expected a " + BYTES + "-byte hash, got "
          + (hash == null ? "null" : hash.length + " bytes"));
    }
    return hash;
  }
}

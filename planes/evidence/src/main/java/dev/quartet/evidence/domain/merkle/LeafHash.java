package dev.quartet.evidence.domain.merkle;

import java.security.MessageDigest;
import java.util.Objects;

/** RFC 9162 §2.1.1 leaf hash: SHA-256(0x00 ‖ leaf data). */
public final class LeafHash {
  // RFC 9162 §2.1.1: leaves and interior nodes get different one-byte prefixes so a leaf can
  // never be passed off as an interior node (second-preimage resistance).
  private static final byte LEAF_PREFIX = 0x00;

  private LeafHash() {}

  /** The 32-byte leaf hash of {@code leafData} (which may be empty). */
  public static byte[] of(byte[] leafData) {
    Objects.requireNonNull(leafData, "leafData");
    MessageDigest d = Sha256.digest();
    d.update(LEAF_PREFIX);
    d.update(leafData);
    return d.digest();
  }
}

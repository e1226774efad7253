package dev.quartet.data.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** A SHA-256 digest as 64 lowercase hex characters. */
public record Sha256(String hex) {
  public Sha256 {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("SHA-256 must be 64 lowercase hex characters");
    }
  }

  /** Parses a caller-supplied digest, accepting upper case. */
  public static Sha256 parse(String hex) {
    return new Sha256(hex == null ? null : hex.trim().toLowerCase(Locale.ROOT));
  }

  /** The digest {@code md} has computed so far (and resets it). */
  public static Sha256 of(MessageDigest md) {
    return new Sha256(HexFormat.of().formatHex(md.digest()));
  }

  /** A fresh SHA-256 message digest. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return hex;
  }
}

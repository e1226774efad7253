package dev.quartet.data.store;

import dev.quartet.data.config.EncryptionSettings;
import dev.quartet.data.config.SignedUrlSettings;
import dev.quartet.data.domain.UrlSigner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/** The HMAC key of signed URLs: configured, or generated once into the key directory. */
public final class UrlSigningKey {
  /** File of the generated key under the key directory (base64url, mode 0600). */
  public static final String FILE = "url-signing.key";

  private UrlSigningKey() {}

  /**
   * The configured key, else the one in {@code <keys-dir>/url-signing.key}, created on first use.
   *
   * @throws IllegalStateException when the configured key is not base64 of at least 32 bytes
   */
  public static byte[] load(SignedUrlSettings urls, EncryptionSettings encryption) {
    if (urls.key() != null && !urls.key().isBlank()) {
      return decode(urls.key().trim(), "quartet.data.signed-urls.key");
    }
    Path dir = Path.of(encryption.keysDir()).toAbsolutePath();
    try {
      Files.createDirectories(dir, SecretFiles.DIRECTORY);
      // 256 random bits, written once; replicas sharing the directory read the same key.
      return decode(SecretFiles.readOrCreatePassword(dir.resolve(FILE), new SecureRandom()), dir.resolve(FILE).toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the URL signing key in " + dir, e);
    }
  }

  private static byte[] decode(String text, String source) {
    byte[] key;
    try {
      key = text.contains("+") || text.contains("/") ? Base64.getDecoder().decode(text) : Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the URL signing key of " + source + " is not base64");
    }
    if (key.length < UrlSigner.MIN_KEY_BYTES) {
      throw new IllegalStateException("the URL signing key of " + source + " has " + key.length + " bytes, needs "
          + UrlSigner.MIN_KEY_BYTES);
    }
    return key;
  }
}

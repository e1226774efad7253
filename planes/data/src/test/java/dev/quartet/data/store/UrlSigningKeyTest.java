package dev.quartet.data.store;

import dev.quartet.data.config.EncryptionSettings;
import dev.quartet.data.config.SignedUrlSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UrlSigningKeyTest {
  @Test
  void aGeneratedKeyIsOwnerOnlyAndStable(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("keys");
    byte[] first = UrlSigningKey.load(settings(null), new EncryptionSettings(keys.toString(), null));
    assertEquals(32, first.length);
    Path file = keys.resolve(UrlSigningKey.FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertArrayEquals(first, UrlSigningKey.load(settings(null), new EncryptionSettings(keys.toString(), null)),
        "the same key after a restart");
  }

  @Test
  void aConfiguredKeyWinsAndMustBeLongEnough(@TempDir Path dir) {
    byte[] key = new byte[40];
    key[0] = (byte) 0xfb; // encodes with '+' or '/' in standard base64
    var encryption = new EncryptionSettings(dir.resolve("keys").toString(), null);
    assertArrayEquals(key, UrlSigningKey.load(settings(Base64.getEncoder().encodeToString(key)), encryption));
    assertArrayEquals(key, UrlSigningKey.load(settings(Base64.getUrlEncoder().encodeToString(key)), encryption));
    assertFalse(Files.exists(dir.resolve("keys").resolve(UrlSigningKey.FILE)), "no key generated when one is configured");
    assertThrows(IllegalStateException.class,
        () -> UrlSigningKey.load(settings(Base64.getEncoder().encodeToString(new byte[31])), encryption));
    assertThrows(IllegalStateException.class, () -> UrlSigningKey.load(settings("not base64!"), encryption));
  }

  private static SignedUrlSettings settings(String key) {
    return new SignedUrlSettings(Duration.ofHours(24), Duration.ofMinutes(10), key, null);
  }
}

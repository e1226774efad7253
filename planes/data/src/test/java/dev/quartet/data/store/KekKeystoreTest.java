package dev.quartet.data.store;

import dev.quartet.data.config.EncryptionSettings;
import dev.quartet.data.domain.Classification;
import dev.quartet.data.domain.crypto.KeyEncryptionKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KekKeystoreTest {
  @TempDir
  Path dir;

  @Test
  void createsOneOwnerOnlyKeyPerClassificationOnFirstUse() throws IOException {
    var keys = new KekKeystore(new EncryptionSettings(dir.toString(), null));
    assertEquals(false, Files.exists(dir.resolve("keks.p12")), "no keystore before first use");
    KeyEncryptionKey confidential = keys.current(Classification.CONFIDENTIAL);
    KeyEncryptionKey restricted = keys.current(Classification.RESTRICTED);
    assertTrue(confidential.id().startsWith("kek-confidential-"), confidential.id());
    assertNotEquals(confidential.id(), restricted.id());
    assertEquals(confidential, keys.current(Classification.CONFIDENTIAL), "the same key while it is current");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keks.p12"))));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keks.password"))));
  }

  @Test
  void anotherInstanceOnTheSameDirectoryFindsTheKeys() {
    var first = new KekKeystore(new EncryptionSettings(dir.toString(), null));
    KeyEncryptionKey k = first.current(Classification.CONFIDENTIAL);
    var second = new KekKeystore(new EncryptionSettings(dir.toString(), null));
    assertArrayEquals(k.key().getEncoded(), second.find(k.id()).orElseThrow().key().getEncoded());
    assertEquals(k.id(), second.current(Classification.CONFIDENTIAL).id(), "no second key for the classification");
  }

  @Test
  void unknownIdsAreNotFound() {
    var keys = new KekKeystore(new EncryptionSettings(dir.toString(), "configured-password"));
    assertEquals(true, keys.find("kek-confidential-0000000000000000").isEmpty());
  }

  @Test
  void clearClassificationsHaveNoKey() {
    var keys = new KekKeystore(new EncryptionSettings(dir.toString(), null));
    assertThrows(IllegalArgumentException.class, () -> keys.current(Classification.INTERNAL));
  }
}

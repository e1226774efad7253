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

  @Test
  void rotationMakesANewerKeyCurrentAndRetiringDeletesTheOldOne() {
    var keys = new KekKeystore(new EncryptionSettings(dir.toString(), null));
    KeyEncryptionKey old = keys.current(Classification.RESTRICTED);
    KeyEncryptionKey next = keys.rotate(Classification.RESTRICTED);
    assertNotEquals(old.id(), next.id());
    assertEquals(next.id(), keys.current(Classification.RESTRICTED).id(), "the new key wraps from now on");
    assertEquals(java.util.List.of(old.id(), next.id()), keys.keyIds(Classification.RESTRICTED), "oldest first");
    var elsewhere = new KekKeystore(new EncryptionSettings(dir.toString(), null));
    assertEquals(next.id(), elsewhere.current(Classification.RESTRICTED).id(), "another process agrees on the current key");

    assertThrows(IllegalStateException.class, () -> keys.retire(next.id()), "the current key is never retired");
    try (KekKeystore.Lease lease = keys.lease(Classification.RESTRICTED)) {
      assertTrue(keys.inUse(lease.key().id()));
    }
    keys.retire(old.id());
    assertTrue(keys.find(old.id()).isEmpty(), "a retired key is gone");
    assertTrue(new KekKeystore(new EncryptionSettings(dir.toString(), null)).find(old.id()).isEmpty(), "gone from the file");
    assertEquals(java.util.List.of(next.id()), keys.keyIds(Classification.RESTRICTED));
  }

  @Test
  void aKeyLeasedForAnUploadIsNotRetired() {
    var keys = new KekKeystore(new EncryptionSettings(dir.toString(), null));
    try (KekKeystore.Lease lease = keys.lease(Classification.CONFIDENTIAL)) {
      keys.rotate(Classification.CONFIDENTIAL);
      assertThrows(IllegalStateException.class, () -> keys.retire(lease.key().id()));
    }
    assertEquals(false, keys.inUse(keys.keyIds(Classification.CONFIDENTIAL).get(0)), "returned on close");
  }
}

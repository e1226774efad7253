package dev.quartet.data.store;

import dev.quartet.data.config.BlobStoreSettings;
import dev.quartet.data.domain.BlobKey;
import dev.quartet.data.domain.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalBlobStoreTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final BlobStoreSettings SETTINGS = new BlobStoreSettings("unused", Duration.ofHours(1));
  @TempDir
  Path dir;

  private LocalBlobStore store() {
    return new LocalBlobStore(dir, SETTINGS, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void aCommittedBlobIsContentAddressedAndOwnerOnly() throws IOException {
    LocalBlobStore store = store();
    byte[] content = "claim-checked bytes".getBytes(StandardCharsets.UTF_8);
    BlobKey key;
    try (BlobStore.BlobUpload upload = store.begin()) {
      upload.stream().write(content);
      key = upload.commit();
    }
    assertEquals(Sha256.of(digestOf(content)), key.storedSha256());
    try (InputStream in = store.open(key)) {
      assertArrayEquals(content, in.readAllBytes());
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.pathOf(key))));
    assertEquals(0, temporaries(), "temporary files after a commit");
  }

  @Test
  void aDeletedBlobIsGoneAndDeletingItAgainIsNoError() throws IOException {
    LocalBlobStore store = store();
    BlobKey key;
    try (BlobStore.BlobUpload upload = store.begin()) {
      upload.stream().write("retired bytes".getBytes(StandardCharsets.UTF_8));
      key = upload.commit();
    }
    assertTrue(store.delete(key), "this call removed it");
    assertFalse(Files.exists(store.pathOf(key)));
    assertThrows(java.nio.file.NoSuchFileException.class, () -> store.open(key));
    assertFalse(store.delete(key), "already gone: false, no error");
  }

  @Test
  void anAbandonedUploadLeavesNothing() throws IOException {
    LocalBlobStore store = store();
    try (BlobStore.BlobUpload upload = store.begin()) {
      upload.stream().write(new byte[100_000]);
    }
    assertEquals(0, temporaries(), "temporary files");
    try (Stream<Path> blobs = Files.walk(dir.resolve("sha256"))) {
      assertEquals(0, blobs.filter(Files::isRegularFile).count(), "blobs");
    }
  }

  @Test
  void aSymbolicLinkInPlaceOfABlobIsRefused() throws IOException {
    LocalBlobStore store = store();
    Path secret = Files.writeString(dir.resolveSibling(dir.getFileName() + "-secret.txt"), "not yours");
    BlobKey key = new BlobKey(new Sha256("cd".repeat(32)));
    Path link = store.pathOf(key);
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, secret);
    assertThrows(IOException.class, () -> store.open(key));
    Files.delete(secret);
  }

  @Test
  void aSymbolicLinkedShardDirectoryIsRefused() throws IOException {
    LocalBlobStore store = store();
    BlobKey key = new BlobKey(new Sha256("ef".repeat(32)));
    Path outside = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-outside"));
    Files.writeString(outside.resolve(key.storedSha256().hex()), "planted");
    Files.createSymbolicLink(store.pathOf(key).getParent(), outside);
    assertThrows(IOException.class, () -> store.open(key));
  }

  @Test
  void everyPathStaysInsideTheStore() {
    LocalBlobStore store = store();
    Path p = store.pathOf(new BlobKey(new Sha256("01".repeat(32))));
    assertTrue(p.startsWith(dir.toAbsolutePath()), p + " under " + dir);
  }

  @Test
  void staleTemporariesOfACrashedProcessAreRemovedOnStart() throws IOException {
    store();
    Path stale = Files.writeString(dir.resolve("tmp").resolve("crashed.part"), "half");
    Files.setLastModifiedTime(stale, FileTime.from(NOW.minus(Duration.ofHours(2))));
    Path fresh = Files.writeString(dir.resolve("tmp").resolve("in-progress.part"), "half");
    Files.setLastModifiedTime(fresh, FileTime.from(NOW.minus(Duration.ofMinutes(5))));
    store();
    assertEquals(false, Files.exists(stale), "stale temporary removed");
    assertEquals(true, Files.exists(fresh), "another process's upload in progress kept");
  }

  private long temporaries() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("tmp"))) {
      return files.count();
    }
  }

  private static java.security.MessageDigest digestOf(byte[] content) {
    var md = Sha256.newDigest();
    md.update(content);
    return md;
  }
}

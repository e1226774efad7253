package dev.quartet.data.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quartet.data.config.S3BlobStoreSettings;
import dev.quartet.data.domain.BlobKey;
import dev.quartet.data.domain.Sha256;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/** The S3-compatible blob store against a real S3-compatible server (s3rver), over HTTP with SigV4. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3BlobStoreIT {
  private static final String BUCKET = "quartet-it";
  private S3rver server;
  private S3Client client;
  private S3BlobStore store;
  private Path spool;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("s3"));
    server = S3rver.start(data, BUCKET);
    client = S3BlobStore.client(new S3BlobStoreSettings(server.endpoint(), "us-east-1", BUCKET, "blobs/",
        S3rver.ACCESS_KEY, S3rver.SECRET_KEY, true, Duration.ofSeconds(20)));
    spool = dir.resolve("spool");
    store = new S3BlobStore(client, BUCKET, "blobs/", spool);
  }

  @AfterAll
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aCommittedBlobComesBackByteForByteUnderItsContentAddress() throws Exception {
    byte[] content = new byte[3 * 1024 * 1024 + 17];
    new Random(11).nextBytes(content);
    BlobKey key;
    try (BlobStore.BlobUpload upload = store.begin()) {
      upload.stream().write(content);
      key = upload.commit();
    }
    assertEquals(Sha256.of(sha256(content)).hex(), key.storedSha256().hex(), "the key is the digest of the bytes");
    try (InputStream in = store.open(key)) {
      assertArrayEquals(content, in.readAllBytes());
    }
    assertTrue(objectKeys().contains(store.objectKey(key)), "stored at its content address: " + objectKeys());
    try (Stream<Path> left = Files.list(spool)) {
      assertEquals(0, left.count(), "the spooled upload is gone once committed");
    }
  }

  @Test
  void anUploadClosedWithoutCommitLeavesNothing() throws Exception {
    long before = objectKeys().size();
    try (BlobStore.BlobUpload upload = store.begin()) {
      upload.stream().write("half a payload".getBytes());
    }
    assertEquals(before, objectKeys().size(), "no object");
    try (Stream<Path> left = Files.list(spool)) {
      assertEquals(0, left.count(), "no spooled file");
    }
  }

  @Test
  void aDeletedBlobIsGoneAndDeletingItAgainIsNoError() throws Exception {
    BlobKey key;
    try (BlobStore.BlobUpload upload = store.begin()) {
      upload.stream().write("retired bytes".getBytes());
      key = upload.commit();
    }
    assertTrue(store.delete(key), "this call removed it");
    assertTrue(!objectKeys().contains(store.objectKey(key)), "no object at its address: " + objectKeys());
    assertThrows(NoSuchFileException.class, () -> store.open(key));
    assertTrue(!store.delete(key), "already gone: false, no error");
  }

  @Test
  void aMissingBlobIsNoSuchFileNeverEmptyBytes() {
    BlobKey absent = new BlobKey(new Sha256("ab".repeat(32)));
    assertThrows(NoSuchFileException.class, () -> store.open(absent));
  }

  @Test
  void anUnreachableStoreIsAnIoErrorNotAnEmptyBlob() throws Exception {
    try (S3Client nowhere = S3BlobStore.client(new S3BlobStoreSettings("http://127.0.0.1:" + dev.quartet.harness.FreePorts.any(),
        "us-east-1", BUCKET, "", S3rver.ACCESS_KEY, S3rver.SECRET_KEY, true, Duration.ofSeconds(2)))) {
      S3BlobStore down = new S3BlobStore(nowhere, BUCKET, "", spool.resolveSibling("spool-down"));
      java.io.IOException e = assertThrows(java.io.IOException.class, () -> down.open(new BlobKey(new Sha256("cd".repeat(32)))));
      assertTrue(!(e instanceof NoSuchFileException), "unreachable is not 'missing': " + e);
    }
  }

  private java.util.List<String> objectKeys() {
    return client.listObjectsV2(ListObjectsV2Request.builder().bucket(BUCKET).build()).contents().stream()
        .map(o -> o.key()).toList();
  }

  private static java.security.MessageDigest sha256(byte[] content) throws Exception {
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    md.update(content);
    return md;
  }
}

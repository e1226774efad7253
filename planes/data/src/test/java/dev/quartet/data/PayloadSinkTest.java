package dev.quartet.data;

import dev.quartet.data.config.BlobStoreSettings;
import dev.quartet.data.domain.BlobKey;
import dev.quartet.data.domain.crypto.KeyEncryptionKey;
import dev.quartet.data.domain.crypto.PayloadEnvelope;
import dev.quartet.data.store.LocalBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadSinkTest {
  private static final int THRESHOLD = 1024;
  private final SecureRandom random = new SecureRandom();
  private final KeyEncryptionKey kek = new KeyEncryptionKey("kek-confidential-00", new SecretKeySpec(new byte[32], "AES"));
  @TempDir
  Path dir;

  private LocalBlobStore blobs() {
    return new LocalBlobStore(dir, new BlobStoreSettings("unused", Duration.ofHours(1)), Clock.systemUTC());
  }

  @Test
  void upToTheThresholdStaysInline() throws IOException {
    byte[] plain = bytes(THRESHOLD);
    try (var sink = new PayloadSink(THRESHOLD, blobs(), null, random, 1024)) {
      sink.write(plain);
      assertTrue(sink.inline());
      assertArrayEquals(plain, sink.inlineStoredBytes());
    }
    assertEquals(0, files(), "files for an inline payload");
  }

  @Test
  void oneBytePastTheThresholdSpillsToAnEncryptedBlob() throws IOException {
    byte[] plain = bytes(THRESHOLD + 1);
    LocalBlobStore blobs = blobs();
    BlobKey key;
    try (var sink = new PayloadSink(THRESHOLD, blobs, kek, random, 1024)) {
      sink.write(plain, 0, 10);
      sink.write(plain, 10, plain.length - 10);
      assertFalse(sink.inline());
      key = sink.commitBlob();
    }
    try (InputStream in = PayloadEnvelope.decrypting(blobs.open(key), id -> Optional.of(kek))) {
      assertArrayEquals(plain, in.readAllBytes());
    }
  }

  @Test
  void anInlineEncryptedPayloadIsAnEnvelope() throws IOException {
    byte[] plain = bytes(100);
    try (var sink = new PayloadSink(THRESHOLD, blobs(), kek, random, 1024)) {
      sink.write(plain);
      byte[] stored = sink.inlineStoredBytes();
      assertEquals(PayloadEnvelope.envelopeSize(100, 1024, kek.id()), stored.length);
      try (InputStream in = PayloadEnvelope.decrypting(new java.io.ByteArrayInputStream(stored), id -> Optional.of(kek))) {
        assertArrayEquals(plain, in.readAllBytes());
      }
    }
  }

  @Test
  void closingWithoutCommitLeavesNoFile() throws IOException {
    try (var sink = new PayloadSink(THRESHOLD, blobs(), kek, random, 1024)) {
      sink.write(bytes(10 * THRESHOLD));
    }
    assertEquals(0, files(), "files after an abandoned spill");
  }

  private long files() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).count();
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }
}

package dev.quartet.data;

import dev.quartet.data.domain.BlobKey;
import dev.quartet.data.domain.crypto.EnvelopeEncryptor;
import dev.quartet.data.domain.crypto.KeyEncryptionKey;
import dev.quartet.data.domain.crypto.PayloadEnvelope;
import dev.quartet.data.store.BlobStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Where an upload's bytes go while it streams in: held in memory up to the inline threshold,
 * then spilled into a blob upload (encrypting on the way when a key is given). Memory per upload
 * is bounded by the threshold plus one chunk. Closing without committing discards everything.
 */
final class PayloadSink extends OutputStream {
  private final int inlineThreshold;
  private final BlobStore blobs;
  private final KeyEncryptionKey kek;
  private final SecureRandom random;
  private final int chunkSize;
  private ByteArrayOutputStream memory = new ByteArrayOutputStream();
  private BlobStore.BlobUpload upload;
  private OutputStream spill;

  /** @param kek the key to encrypt under, or null to store in clear */
  PayloadSink(int inlineThreshold, BlobStore blobs, KeyEncryptionKey kek, SecureRandom random, int chunkSize) {
    this.inlineThreshold = inlineThreshold;
    this.blobs = blobs;
    this.kek = kek;
    this.random = random;
    this.chunkSize = chunkSize;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (spill == null && memory.size() + (long) len > inlineThreshold) {
      spill();
    }
    if (spill != null) {
      spill.write(b, off, len);
    } else {
      memory.write(b, off, len);
    }
  }

  /** Whether everything so far fits inline (at most the threshold). */
  boolean inline() {
    return spill == null;
  }

  /** The inline payload as stored: its plaintext, or its envelope when encrypting. */
  byte[] inlineStoredBytes() throws IOException {
    if (!inline()) {
      throw new IllegalStateException("payload spilled to the blob store");
    }
    if (kek == null) {
      return memory.toByteArray();
    }
    var sealed = new ByteArrayOutputStream();
    try (EnvelopeEncryptor encryptor = PayloadEnvelope.encrypting(sealed, kek, random, chunkSize)) {
      memory.writeTo(encryptor);
    }
    return sealed.toByteArray();
  }

  /** Seals and commits the spilled blob: durable and visible from now on. */
  BlobKey commitBlob() throws IOException {
    if (inline()) {
      throw new IllegalStateException("payload is inline");
    }
    if (spill instanceof EnvelopeEncryptor encryptor) {
      encryptor.finish();
    }
    return upload.commit();
  }

  private void spill() throws IOException {
    upload = blobs.begin();
    spill = kek == null ? upload.stream() : PayloadEnvelope.encrypting(upload.stream(), kek, random, chunkSize);
    memory.writeTo(spill);
    memory = null;
  }

  /** Discards an uncommitted blob upload; a committed one is untouched. */
  @Override
  public void close() {
    memory = null;
    if (upload != null) {
      upload.close();
    }
  }
}

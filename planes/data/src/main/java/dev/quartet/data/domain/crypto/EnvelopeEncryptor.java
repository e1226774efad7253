package dev.quartet.data.domain.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts a plaintext stream chunk by chunk. A full chunk is sealed only once more data
 * arrives, so whichever chunk is current at {@link #finish()} is sealed as the final one.
 */
public final class EnvelopeEncryptor extends OutputStream {
  private final OutputStream out;
  private final EnvelopeHeader header;
  private final SecretKey dataKey;
  private final byte[] aad;
  private final byte[] plain;
  private final byte[] sealed;
  private final Cipher cipher;
  private int filled;
  private long index;
  private boolean finished;

  EnvelopeEncryptor(OutputStream out, EnvelopeHeader header, SecretKey dataKey) throws GeneralSecurityException {
    this.out = out;
    this.header = header;
    this.dataKey = dataKey;
    this.aad = header.chunkAssociatedData();
    this.plain = new byte[header.chunkSize()];
    this.sealed = new byte[header.chunkSize() + EnvelopeHeader.TAG_BYTES];
    this.cipher = Cipher.getInstance(PayloadEnvelope.TRANSFORMATION);
  }

  /** The id of the key-encryption key that wraps this envelope's data key. */
  public String keyId() {
    return header.keyId();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (finished) {
      throw new IOException("envelope already finished");
    }
    while (len > 0) {
      if (filled == plain.length) {
        seal(false);
      }
      int n = Math.min(len, plain.length - filled);
      System.arraycopy(b, off, plain, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  /** Seals the final chunk; the underlying stream stays open. Idempotent. */
  public void finish() throws IOException {
    if (!finished) {
      seal(true);
      finished = true;
      out.flush();
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** Finishes, then closes the underlying stream. */
  @Override
  public void close() throws IOException {
    try {
      finish();
    } finally {
      out.close();
    }
  }

  private void seal(boolean last) throws IOException {
    try {
      cipher.init(Cipher.ENCRYPT_MODE, dataKey, new GCMParameterSpec(PayloadEnvelope.TAG_BITS, header.chunkNonce(index, last)));
      cipher.updateAAD(aad);
      int n = cipher.doFinal(plain, 0, filled, sealed, 0);
      out.write(sealed, 0, n);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing chunk " + index + " failed", e);
    }
    index++;
    filled = 0;
  }
}

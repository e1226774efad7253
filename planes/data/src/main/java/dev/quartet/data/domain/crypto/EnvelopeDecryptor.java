package dev.quartet.data.domain.crypto;

import dev.quartet.data.domain.PayloadIntegrityException;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Decrypts an envelope chunk by chunk, releasing a chunk's plaintext only after its tag
 * verified. A chunk is taken as final exactly when the stream ends after it, so a stream cut at
 * a chunk boundary fails: its last chunk was sealed as not-final.
 */
public final class EnvelopeDecryptor extends InputStream {
  private final InputStream in;
  private final EnvelopeHeader header;
  private final SecretKey dataKey;
  private final String keyId;
  private final byte[] aad;
  private final byte[] sealed;
  private final byte[] plain;
  private final Cipher cipher;
  private int pending = -1;
  private int position;
  private int available;
  private long index;
  private boolean done;

  EnvelopeDecryptor(InputStream in, EnvelopeHeader header, SecretKey dataKey, String keyId) throws GeneralSecurityException {
    this.in = in;
    this.keyId = keyId;
    this.header = header;
    this.dataKey = dataKey;
    this.aad = header.chunkAssociatedData();
    this.sealed = new byte[header.chunkSize() + EnvelopeHeader.TAG_BYTES];
    this.plain = new byte[header.chunkSize()];
    this.cipher = Cipher.getInstance(PayloadEnvelope.TRANSFORMATION);
  }

  /** The id of the key-encryption key that unwrapped this envelope's data key (the header's, or a re-wrap's). */
  public String keyId() {
    return keyId;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (position == available) {
      if (done) {
        return -1;
      }
      openNextChunk();
    }
    int n = Math.min(len, available - position);
    System.arraycopy(plain, position, b, off, n);
    position += n;
    return n;
  }

  private void openNextChunk() throws IOException {
    int filled = 0;
    if (pending >= 0) {
      sealed[filled++] = (byte) pending;
      pending = -1;
    }
    filled += in.readNBytes(sealed, filled, sealed.length - filled);
    boolean last;
    if (filled == sealed.length) {
      // A full-length chunk is final only if nothing follows; peek one byte to find out.
      int next = in.read();
      last = next < 0;
      pending = next;
    } else {
      last = true;
    }
    if (filled < EnvelopeHeader.TAG_BYTES) {
      throw new PayloadIntegrityException("envelope truncated at chunk " + index);
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, dataKey, new GCMParameterSpec(PayloadEnvelope.TAG_BITS, header.chunkNonce(index, last)));
      cipher.updateAAD(aad);
      available = cipher.doFinal(sealed, 0, filled, plain, 0);
    } catch (AEADBadTagException e) {
      throw new PayloadIntegrityException("chunk " + index + " failed authentication (altered, reordered or truncated)", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("opening chunk " + index + " failed", e);
    }
    position = 0;
    index++;
    done = last;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

package dev.quartet.data.domain;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes what passes through and, at end of stream, fails with
 * {@link PayloadIntegrityException} unless the bytes had the expected SHA-256 and length.
 */
public final class VerifyingInputStream extends FilterInputStream {
  private final MessageDigest digest = Sha256.newDigest();
  private final Sha256 expected;
  private final long expectedSize;
  private long count;
  private boolean verified;

  public VerifyingInputStream(InputStream in, Sha256 expected, long expectedSize) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      verifyAtEnd();
      return -1;
    }
    digest.update(b, off, n);
    count += n;
    if (count > expectedSize) {
      throw new PayloadIntegrityException("more bytes than the recorded size " + expectedSize);
    }
    return n;
  }

  private void verifyAtEnd() throws PayloadIntegrityException {
    if (verified) {
      return;
    }
    if (count != expectedSize) {
      throw new PayloadIntegrityException("size " + count + " differs from the recorded " + expectedSize);
    }
    Sha256 actual = Sha256.of(digest);
    if (!actual.equals(expected)) {
      throw new PayloadIntegrityException("SHA-256 " + actual + " differs from the recorded " + expected);
    }
    verified = true;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip is not supported: every byte must be hashed");
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}

package dev.quartet.data.domain;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes at most {@code limit} bytes through; reading byte {@code limit + 1} fails with
 * {@link PayloadTooLargeException} instead of returning it, so an oversized upload is never
 * read further than one byte past its limit.
 */
public final class LimitedInputStream extends FilterInputStream {
  private final String limitName;
  private final long limit;
  private long count;

  /** @param limitName the limit's name for the refusal, e.g. {@code max-input-bytes} */
  public LimitedInputStream(InputStream in, String limitName, long limit) {
    super(in);
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    this.limitName = limitName;
    this.limit = limit;
  }

  /** Bytes passed through so far. */
  public long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    // Ask for at most one byte past the limit: enough to know the limit is broken, no more.
    int want = (int) Math.min(len, limit - count + 1);
    int n = in.read(b, off, want);
    if (n < 0) {
      return -1;
    }
    count += n;
    if (count > limit) {
      throw new PayloadTooLargeException(limitName, limit, count, false);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip is not supported: every byte must be counted and hashed");
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}

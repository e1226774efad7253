package dev.quartet.data.domain;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LimitedInputStreamTest {
  @Test
  void passesAnInputOfExactlyTheLimit() throws IOException {
    var in = new LimitedInputStream(new ByteArrayInputStream(new byte[100]), "max-input-bytes", 100);
    assertEquals(100, in.readAllBytes().length);
    assertEquals(100, in.count());
  }

  @Test
  void stopsOneBytePastTheLimitNamingLimitAndSize() {
    var source = new CountingSource(1_000_000);
    var in = new LimitedInputStream(source, "max-input-bytes", 100);
    var e = assertThrows(PayloadTooLargeException.class, in::readAllBytes);
    assertEquals("max-input-bytes", e.limitName());
    assertEquals(100, e.limit());
    assertEquals(101, e.seen());
    assertEquals(101, source.served, "bytes read from the source");
    assertEquals(true, e.getMessage().contains("max-input-bytes = 100"), e.getMessage());
  }

  @Test
  void aZeroLimitRefusesTheFirstByte() {
    var in = new LimitedInputStream(new ByteArrayInputStream(new byte[1]), "max-input-bytes", 0);
    assertThrows(PayloadTooLargeException.class, in::read);
  }

  @Test
  void refusesToSkipUncountedBytes() {
    var in = new LimitedInputStream(new ByteArrayInputStream(new byte[10]), "max-input-bytes", 100);
    assertThrows(IOException.class, () -> in.skip(5));
  }

  /** An endless source counting how much was asked of it. */
  private static final class CountingSource extends InputStream {
    private final long size;
    long served;

    CountingSource(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return served < size ? (int) (served++ & 0x7f) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n = (int) Math.min(len, size - served);
      if (n <= 0) {
        return -1;
      }
      served += n;
      return n;
    }
  }
}

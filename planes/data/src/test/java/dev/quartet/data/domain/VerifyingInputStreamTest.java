package dev.quartet.data.domain;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VerifyingInputStreamTest {
  private static final byte[] DATA = "payload bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  @Test
  void passesBytesWithTheRecordedDigestAndSize() throws IOException {
    var in = new VerifyingInputStream(new ByteArrayInputStream(DATA), digest(DATA), DATA.length);
    assertArrayEquals(DATA, in.readAllBytes());
  }

  @Test
  void failsAtTheEndWhenTheDigestDiffers() {
    byte[] other = DATA.clone();
    other[0] ^= 1;
    var in = new VerifyingInputStream(new ByteArrayInputStream(other), digest(DATA), DATA.length);
    assertThrows(PayloadIntegrityException.class, in::readAllBytes);
  }

  @Test
  void failsWhenShorterOrLongerThanRecorded() {
    assertThrows(PayloadIntegrityException.class, () -> new VerifyingInputStream(
        new ByteArrayInputStream(DATA, 0, DATA.length - 1), digest(DATA), DATA.length).readAllBytes());
    assertThrows(PayloadIntegrityException.class, () -> new VerifyingInputStream(
        new ByteArrayInputStream(DATA), digest(DATA), DATA.length - 1).readAllBytes());
  }

  private static Sha256 digest(byte[] b) {
    var md = Sha256.newDigest();
    md.update(b);
    return Sha256.of(md);
  }
}

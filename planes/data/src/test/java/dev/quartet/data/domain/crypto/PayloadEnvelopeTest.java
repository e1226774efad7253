package dev.quartet.data.domain.crypto;

import dev.quartet.data.domain.PayloadIntegrityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PayloadEnvelopeTest {
  private static final int KIB64 = 64 * 1024;
  private static final int SMALL_CHUNK = 16;
  // Seeded so a failure reproduces; the crypto itself still uses real randomness for keys and nonces.
  private final Random seeded = new Random(20240611);
  private final SecureRandom random = new SecureRandom();
  private final KeyEncryptionKey kek = key("kek-confidential-0011223344556677", 1);
  private final KekResolver keys = id -> id.equals(kek.id()) ? Optional.of(kek) : Optional.empty();

  @ParameterizedTest
  @ValueSource(ints = {0, 1, KIB64 - 1, KIB64, KIB64 + 1, 2 * KIB64, 3 * 1024 * 1024})
  void roundTripsEverySizeAroundChunkBoundaries(int size) throws IOException {
    byte[] plain = bytes(size);
    byte[] sealed = seal(plain, PayloadEnvelope.DEFAULT_CHUNK_SIZE);
    assertEquals(PayloadEnvelope.envelopeSize(size, PayloadEnvelope.DEFAULT_CHUNK_SIZE, kek.id()), sealed.length,
        "envelope size of " + size + " plaintext bytes");
    assertArrayEquals(plain, open(sealed), "plaintext after a round trip of " + size + " bytes");
  }

  @Test
  void roundTripsWhateverTheWriteSizes() throws IOException {
    byte[] plain = bytes(5 * SMALL_CHUNK + 3);
    var out = new ByteArrayOutputStream();
    try (EnvelopeEncryptor e = PayloadEnvelope.encrypting(out, kek, random, SMALL_CHUNK)) {
      for (int i = 0; i < plain.length; ) {
        int n = Math.min(plain.length - i, 1 + seeded.nextInt(2 * SMALL_CHUNK));
        e.write(plain, i, n);
        i += n;
      }
    }
    assertArrayEquals(plain, open(out.toByteArray()));
  }

  @Test
  void sealingTheSamePlaintextTwiceGivesDifferentEnvelopes() throws IOException {
    byte[] plain = bytes(100);
    assertEquals(false, Arrays.equals(seal(plain, SMALL_CHUNK), seal(plain, SMALL_CHUNK)), "fresh data key and nonces");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, SMALL_CHUNK, SMALL_CHUNK + 1, 3 * SMALL_CHUNK})
  void everySingleByteCorruptionFails(int size) throws IOException {
    byte[] sealed = seal(bytes(size), SMALL_CHUNK);
    for (int i = 0; i < sealed.length; i++) {
      for (int flip : new int[] {0x01, 0x80, 0xff}) {
        byte[] bad = sealed.clone();
        bad[i] ^= (byte) flip;
        assertFails(bad, "byte " + i + " of " + sealed.length + " xor " + flip + " (plaintext " + size + ")");
      }
    }
  }

  @Test
  void corruptionOfDefaultSizedChunksFails() throws IOException {
    byte[] sealed = seal(bytes(2 * KIB64 + 1), PayloadEnvelope.DEFAULT_CHUNK_SIZE);
    int header = headerLength();
    int segment = KIB64 + 16;
    // Every header byte, then the first, middle and last bytes (tags included) of each chunk.
    for (int i = 0; i < header; i++) {
      assertFails(flip(sealed, i), "header byte " + i);
    }
    for (int start = header; start < sealed.length; start += segment) {
      int end = Math.min(sealed.length, start + segment) - 1;
      for (int i : new int[] {start, (start + end) / 2, end - 16, end}) {
        assertFails(flip(sealed, i), "byte " + i + " of the chunk at " + start);
      }
    }
  }

  @Test
  void swappedChunksFail() throws IOException {
    byte[] sealed = seal(bytes(4 * SMALL_CHUNK), SMALL_CHUNK);
    int header = headerLength();
    int segment = SMALL_CHUNK + 16;
    for (int a = 0; a < 4; a++) {
      for (int b = a + 1; b < 4; b++) {
        byte[] swapped = sealed.clone();
        System.arraycopy(sealed, header + a * segment, swapped, header + b * segment, segment);
        System.arraycopy(sealed, header + b * segment, swapped, header + a * segment, segment);
        assertFails(swapped, "chunks " + a + " and " + b + " swapped");
      }
    }
  }

  @Test
  void droppedChunkFails() throws IOException {
    byte[] sealed = seal(bytes(3 * SMALL_CHUNK), SMALL_CHUNK);
    int start = headerLength() + (SMALL_CHUNK + 16);
    byte[] dropped = new byte[sealed.length - (SMALL_CHUNK + 16)];
    System.arraycopy(sealed, 0, dropped, 0, start);
    System.arraycopy(sealed, start + SMALL_CHUNK + 16, dropped, start, dropped.length - start);
    assertFails(dropped, "middle chunk dropped");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, SMALL_CHUNK - 1, SMALL_CHUNK, 2 * SMALL_CHUNK, 3 * SMALL_CHUNK + 5})
  void everyTruncationFails(int size) throws IOException {
    byte[] sealed = seal(bytes(size), SMALL_CHUNK);
    for (int length = 0; length < sealed.length; length++) {
      assertFails(Arrays.copyOf(sealed, length), "truncated to " + length + " of " + sealed.length);
    }
  }

  @Test
  void truncationAtDefaultChunkBoundaryFails() throws IOException {
    byte[] sealed = seal(bytes(2 * KIB64), PayloadEnvelope.DEFAULT_CHUNK_SIZE);
    assertFails(Arrays.copyOf(sealed, headerLength() + KIB64 + 16), "cut after the first full chunk");
  }

  @Test
  void appendedBytesFail() throws IOException {
    for (int size : new int[] {0, SMALL_CHUNK, SMALL_CHUNK + 3}) {
      byte[] sealed = seal(bytes(size), SMALL_CHUNK);
      assertFails(Arrays.copyOf(sealed, sealed.length + 1), "one byte appended to " + size);
      byte[] doubled = Arrays.copyOf(sealed, sealed.length + SMALL_CHUNK + 16);
      System.arraycopy(sealed, headerLength(), doubled, sealed.length, Math.min(SMALL_CHUNK + 16, sealed.length - headerLength()));
      assertFails(doubled, "a chunk appended to " + size);
    }
  }

  @Test
  void wrongKeyUnderTheSameIdFails() throws IOException {
    byte[] sealed = seal(bytes(50), SMALL_CHUNK);
    KeyEncryptionKey impostor = key(kek.id(), 2);
    var e = assertThrows(PayloadIntegrityException.class,
        () -> PayloadEnvelope.decrypting(new ByteArrayInputStream(sealed), id -> Optional.of(impostor)).readAllBytes());
    assertEquals(true, e.getMessage().contains("does not unwrap"), e.getMessage());
  }

  @Test
  void unknownKeyFails() throws IOException {
    byte[] sealed = seal(bytes(50), SMALL_CHUNK);
    var e = assertThrows(PayloadIntegrityException.class,
        () -> PayloadEnvelope.decrypting(new ByteArrayInputStream(sealed), id -> Optional.empty()));
    assertEquals(true, e.getMessage().contains(kek.id()), e.getMessage());
  }

  @Test
  void refusesKeysThatAreNotAes256() {
    assertThrows(IllegalArgumentException.class, () -> new KeyEncryptionKey("k1", new SecretKeySpec(new byte[16], "AES")));
    assertThrows(IllegalArgumentException.class, () -> new KeyEncryptionKey("Bad/Id", new SecretKeySpec(new byte[32], "AES")));
  }

  @Test
  void keyMaterialNeverPrints() {
    assertEquals("KeyEncryptionKey[id=" + kek.id() + "]", kek.toString());
  }

  private void assertFails(byte[] sealed, String what) {
    assertThrows(PayloadIntegrityException.class, () -> open(sealed), what + " must fail authentication, but decrypted");
  }

  private byte[] seal(byte[] plain, int chunkSize) throws IOException {
    var out = new ByteArrayOutputStream();
    try (EnvelopeEncryptor e = PayloadEnvelope.encrypting(out, kek, random, chunkSize)) {
      e.write(plain);
    }
    return out.toByteArray();
  }

  private byte[] open(byte[] sealed) throws IOException {
    try (EnvelopeDecryptor d = PayloadEnvelope.decrypting(new ByteArrayInputStream(sealed), keys)) {
      return d.readAllBytes();
    }
  }

  private int headerLength() {
    return (int) PayloadEnvelope.envelopeSize(0, SMALL_CHUNK, kek.id()) - 16;
  }

  private static byte[] flip(byte[] sealed, int i) {
    byte[] bad = sealed.clone();
    bad[i] ^= 0x01;
    return bad;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    seeded.nextBytes(b);
    return b;
  }

  private static KeyEncryptionKey key(String id, int seed) {
    byte[] material = new byte[32];
    new Random(seed).nextBytes(material);
    return new KeyEncryptionKey(id, new SecretKeySpec(material, "AES"));
  }
}

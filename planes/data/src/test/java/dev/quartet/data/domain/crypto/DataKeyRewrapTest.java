package dev.quartet.data.domain.crypto;

import dev.quartet.data.domain.PayloadIntegrityException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataKeyRewrapTest {
  private static final int CHUNK = 16;
  // Seeded plaintext so a failure reproduces; keys and nonces use real randomness.
  private final Random seeded = new Random(20261124);
  private final SecureRandom random = new SecureRandom();
  private final KeyEncryptionKey oldKek = key("kek-restricted-0000000000000001", 1);
  private final KeyEncryptionKey newKek = key("kek-restricted-0000000000000002", 2);
  private final KeyEncryptionKey newest = key("kek-restricted-0000000000000003", 3);

  @Test
  void aRewrappedDataKeyOpensTheUnchangedEnvelopeWithoutTheOldKey() throws IOException {
    byte[] plain = bytes(5 * CHUNK + 7);
    byte[] sealed = seal(plain);
    WrappedDataKey rewrapped = PayloadEnvelope.rewrap(new ByteArrayInputStream(sealed), null, resolver(oldKek), newKek, random);
    assertEquals(newKek.id(), rewrapped.keyId());
    EnvelopeDecryptor d = PayloadEnvelope.decrypting(new ByteArrayInputStream(sealed), resolver(newKek), rewrapped);
    assertEquals(newKek.id(), d.keyId(), "the key that unwrapped it");
    assertArrayEquals(plain, d.readAllBytes());
    assertThrows(PayloadIntegrityException.class, () -> PayloadEnvelope.decrypting(new ByteArrayInputStream(sealed), resolver(newKek)),
        "without the re-wrap, the header's wrap needs the old key, which is gone");
  }

  @Test
  void aSecondRotationRewrapsFromTheFirstRewrap() throws IOException {
    byte[] plain = bytes(3 * CHUNK);
    byte[] sealed = seal(plain);
    WrappedDataKey first = PayloadEnvelope.rewrap(new ByteArrayInputStream(sealed), null, resolver(oldKek), newKek, random);
    WrappedDataKey second = PayloadEnvelope.rewrap(new ByteArrayInputStream(sealed), first, resolver(newKek), newest, random);
    assertArrayEquals(plain, PayloadEnvelope.decrypting(new ByteArrayInputStream(sealed), resolver(newest), second).readAllBytes());
  }

  @Test
  void aRewrapBelongsToItsOwnEnvelopeAndKey() throws IOException {
    byte[] sealed = seal(bytes(40));
    byte[] other = seal(bytes(40));
    WrappedDataKey rewrapped = PayloadEnvelope.rewrap(new ByteArrayInputStream(sealed), null, resolver(oldKek), newKek, random);
    var wrong = assertThrows(PayloadIntegrityException.class,
        () -> PayloadEnvelope.decrypting(new ByteArrayInputStream(other), resolver(newKek), rewrapped));
    assertTrue(wrong.getMessage().contains("does not unwrap"), wrong.getMessage());
    // The same wrapped bytes claimed for another key id do not unwrap either (the id is authenticated).
    var relabelled = new WrappedDataKey(newest.id(), rewrapped.nonce(), rewrapped.wrapped());
    KekResolver sameMaterial = id -> Optional.of(new KeyEncryptionKey(id, newKek.key()));
    assertThrows(PayloadIntegrityException.class,
        () -> PayloadEnvelope.decrypting(new ByteArrayInputStream(sealed), sameMaterial, relabelled));
    byte[] flipped = rewrapped.wrapped();
    flipped[seeded.nextInt(flipped.length)] ^= 0x01;
    assertThrows(PayloadIntegrityException.class, () -> PayloadEnvelope.decrypting(new ByteArrayInputStream(sealed),
        resolver(newKek), new WrappedDataKey(newKek.id(), rewrapped.nonce(), flipped)));
  }

  private byte[] seal(byte[] plain) throws IOException {
    var out = new ByteArrayOutputStream();
    try (EnvelopeEncryptor e = PayloadEnvelope.encrypting(out, oldKek, random, CHUNK)) {
      e.write(plain);
    }
    return out.toByteArray();
  }

  private static KekResolver resolver(KeyEncryptionKey... keys) {
    Map<String, KeyEncryptionKey> byId = new java.util.HashMap<>();
    for (KeyEncryptionKey k : keys) {
      byId.put(k.id(), k);
    }
    return id -> Optional.ofNullable(byId.get(id));
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    seeded.nextBytes(b);
    return b;
  }

  private static KeyEncryptionKey key(String id, int seed) {
    byte[] k = new byte[32];
    new Random(seed).nextBytes(k);
    return new KeyEncryptionKey(id, new SecretKeySpec(k, "AES"));
  }
}

package dev.quartet.contracts.trust;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyFilesTest {
  // RFC 8410 §10.1 and §10.3: a published Ed25519 key pair in exactly the PEM forms the spec names.
  static final String RFC8410_PUBLIC = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
  static final String RFC8410_PRIVATE = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";

  @TempDir
  Path dir;

  @Test
  void rfc8410ExampleKeysParseAndWriteBackIdentically() {
    AdminKeyPair key = KeyFiles.parsePrivateKeyPem(RFC8410_PRIVATE);
    Ed25519PublicKey pub = KeyFiles.parsePublicKeyPem(RFC8410_PUBLIC);
    assertEquals(pub, key.publicKey(), "the RFC's private key derives the RFC's public key");
    assertEquals("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1", HexFormat.of().formatHex(pub.raw()));
    assertEquals(RFC8410_PRIVATE, KeyFiles.privateKeyPem(key));
    assertEquals(RFC8410_PUBLIC, KeyFiles.publicKeyPem(pub));
  }

  @Test
  void writesOwnerOnlyPrivateKeyAndPublicKeyThatReadBack() throws IOException {
    AdminKeyPair key = AdminKeyPair.generate(new SecureRandom());
    Path name = dir.resolve("alice");
    KeyFiles.writeNew(key, name);
    Path priv = dir.resolve("alice.key");
    Path pub = dir.resolve("alice.pub");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
    assertTrue(Files.readString(priv).startsWith("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8 PEM");
    assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----\n"), "SPKI PEM");
    assertEquals(key, KeyFiles.readPrivateKey(priv));
    assertEquals(key.publicKey(), KeyFiles.readPublicKey(pub));
  }

  @Test
  void seededRandomKeysRoundTripThroughPem() {
    Random random = new Random(8410);
    for (int i = 0; i < 50; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      AdminKeyPair key = AdminKeyPair.fromSeed(seed);
      assertEquals(key, KeyFiles.parsePrivateKeyPem(KeyFiles.privateKeyPem(key)), "seed 8410 case " + i);
      assertEquals(key.publicKey(), KeyFiles.parsePublicKeyPem(KeyFiles.publicKeyPem(key.publicKey())), "seed 8410 case " + i);
    }
  }

  @Test
  void refusesToOverwriteEitherExistingFileAndWritesNothing() throws IOException {
    Files.writeString(dir.resolve("bob.pub"), "keep me");
    AdminKeyPair key = AdminKeyPair.generate(new SecureRandom());
    assertThrows(FileAlreadyExistsException.class, () -> KeyFiles.writeNew(key, dir.resolve("bob")));
    assertFalse(Files.exists(dir.resolve("bob.key")), "no private key written when the public one exists");
    assertEquals("keep me", Files.readString(dir.resolve("bob.pub")));

    Files.writeString(dir.resolve("carol.key"), "keep me too");
    assertThrows(FileAlreadyExistsException.class, () -> KeyFiles.writeNew(key, dir.resolve("carol")));
    assertEquals("keep me too", Files.readString(dir.resolve("carol.key")));
    assertFalse(Files.exists(dir.resolve("carol.pub")));
  }

  @Test
  void acceptsPkcs8V2WithMatchingPublicKeyAndRejectsMismatch() {
    AdminKeyPair key = AdminKeyPair.fromSeed(new byte[32]);
    AdminKeyPair other = AdminKeyPair.fromSeed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
    assertEquals(key, KeyFiles.parsePrivateKeyPem(v2Pem(key.seed(), key.publicKey().raw())));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KeyFiles.parsePrivateKeyPem(v2Pem(key.seed(), other.publicKey().raw())));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
  }

  @Test
  void rejectsNonKeysWithoutEchoingTheirContent() {
    String body = Base64.getEncoder().encodeToString("secret-looking material that is not DER at all".getBytes(StandardCharsets.US_ASCII));
    String pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.parsePrivateKeyPem(pem));
    assertFalse(e.getMessage().contains(body.substring(0, 12)), e.getMessage());
    assertEquals(null, e.getCause(), "no cause that could carry the input");

    e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.parsePrivateKeyPem(RFC8410_PUBLIC));
    assertTrue(e.getMessage().contains("BEGIN PRIVATE KEY"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> KeyFiles.parsePrivateKeyPem("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"));
    assertTrue(e.getMessage().contains("encrypted keys are not supported"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KeyFiles.parsePublicKeyPem(RFC8410_PRIVATE));
    assertThrows(IllegalArgumentException.class, () -> KeyFiles.parsePublicKeyPem(RFC8410_PUBLIC.replace("MCow", "MC*w")));
  }

  @Test
  void rejectsAPublicKeyOfAnotherAlgorithm() {
    // An X25519 SubjectPublicKeyInfo (OID 1.3.101.110) with the same 32 bytes: right shape, wrong algorithm.
    String x25519 = RFC8410_PUBLIC.replace("MCowBQYDK2VwAyEA", "MCowBQYDK2VuAyEA");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFiles.parsePublicKeyPem(x25519));
    assertTrue(e.getMessage().contains("not Ed25519"), e.getMessage());
  }

  private static String v2Pem(byte[] seed, byte[] pub) {
    // RFC 8410 §7 OneAsymmetricKey v2: version 1, algorithm, privateKey, [1] publicKey.
    byte[] der = new byte[83];
    byte[] head = HexFormat.of().parseHex("3051020101300506032b657004220420");
    System.arraycopy(head, 0, der, 0, head.length);
    System.arraycopy(seed, 0, der, 16, 32);
    byte[] tag = HexFormat.of().parseHex("812100");
    System.arraycopy(tag, 0, der, 48, 3);
    System.arraycopy(pub, 0, der, 51, 32);
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
  }
}

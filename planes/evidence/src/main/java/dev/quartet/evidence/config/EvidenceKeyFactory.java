package dev.quartet.evidence.config;

import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.Ed25519;
import dev.quartet.contracts.trust.KeyFiles;
import dev.quartet.contracts.trust.KeyId;
import dev.quartet.evidence.domain.note.NoteSigner;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The evidence key that signs checkpoints: read from {@code quartet.evidence.checkpoint.key-file},
 * or, when that is not set, a fresh ephemeral key (with a WARN: its checkpoints verify against
 * no trust root, and a restart changes it).
 */
@Factory
public class EvidenceKeyFactory {
  private static final Logger log = LoggerFactory.getLogger(EvidenceKeyFactory.class);

  /** The note signer of the evidence key, named {@code quartet.evidence.checkpoint.key-name}. */
  @Singleton
  NoteSigner evidenceKey(CheckpointSettings settings) {
    if (settings.keyFile() == null || settings.keyFile().isBlank()) {
      byte[] seed = new byte[Ed25519.SEED_BYTES];
      new SecureRandom().nextBytes(seed);
      NoteSigner signer = NoteSigner.of(settings.keyName(), seed);
      Arrays.fill(seed, (byte) 0);
      log.warn("quartet.evidence.checkpoint.key-file is not set: signing checkpoints with an ephemeral key {} (key id {}); "
          + "they will not verify against any trust root", signer, KeyId.of(signer.verifier().publicKey()).hex());
      return signer;
    }
    NoteSigner signer = read(Path.of(settings.keyFile()), settings.keyName());
    log.info("Signing checkpoints with the evidence key {} (key id {}) from {}", signer,
        KeyId.of(signer.verifier().publicKey()).hex(), settings.keyFile());
    return signer;
  }

  /**
   * Reads a PKCS#8 PEM Ed25519 key as a note signer named {@code name}.
   *
   * @throws IllegalArgumentException if the file does not hold an Ed25519 private key (the message names the file, never the key)
   * @throws UncheckedIOException if it cannot be read
   */
  public static NoteSigner read(Path file, String name) {
    try {
      // KeyFiles is the strict reader every party uses; it keeps the seed to itself, so the JDK's
      // RFC 8410 decoder extracts it, and the two must agree on the public key.
      AdminKeyPair checked = KeyFiles.readPrivateKey(file);
      byte[] seed = seedOf(Files.readString(file, StandardCharsets.US_ASCII), file);
      try {
        NoteSigner signer = NoteSigner.of(name, seed);
        if (!Arrays.equals(signer.verifier().publicKey(), checked.publicKey().raw())) {
          throw new IllegalArgumentException(file + ": the decoded key does not match its public key");
        }
        return signer;
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the evidence key " + file + " (quartet.evidence.checkpoint.key-file)", e);
    }
  }

  private static byte[] seedOf(String pem, Path file) {
    String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    try {
      EdECPrivateKey key = (EdECPrivateKey) KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
      return key.getBytes().orElseThrow(() -> new IllegalArgumentException(file + ": the private key bytes are not available"));
    } catch (GeneralSecurityException | ClassCastException e) {
      // Only the kind of failure: provider messages may quote the input.
      throw new IllegalArgumentException(file + ": not an Ed25519 PKCS#8 key (" + e.getClass().getSimpleName() + ")");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }
}

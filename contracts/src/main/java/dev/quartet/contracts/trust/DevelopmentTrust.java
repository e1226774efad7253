package dev.quartet.contracts.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The development trust material {@code quartet up} keeps in its data dir (spec "Running it"):
 * {@code dev-admin.key}/{@code dev-admin.pub} and {@code trust.json}, a root with that single key
 * and threshold 1 for every scope (privileged ones included: it is a one-person dev root), signed
 * by it. Never for production: anyone with the data dir holds the only admin key.
 */
public record DevelopmentTrust(AdminKeyPair adminKey, TrustRoot root, Path trustFile) {
  /** Base name of the development key files in the data dir. */
  public static final String KEY_NAME = "dev-admin";
  /** File name of the signed trust root in the data dir. */
  public static final String TRUST_FILE = "trust.json";
  /** File name stem of the development evidence checkpoint key pair. */
  public static final String CHECKPOINT_KEY_NAME = "evidence-checkpoint";
  /** File name stem of the development lease-token key pair. */
  public static final String LEASE_KEY_NAME = "control-lease";
  /** Lifetime of a new development root: long, so an old data dir keeps starting. */
  public static final Duration VALIDITY = Duration.ofDays(3650);

  /**
   * Loads the development key and trust root from {@code dir}, first creating whichever is absent.
   * Idempotent: existing files are read and checked, never rewritten.
   *
   * @throws IOException if the files cannot be read or written
   * @throws IllegalStateException if existing files are inconsistent: one key file without the
   *     other, a trust root that does not verify at the clock's instant, or one that does not list
   *     the development key as an admin
   */
  public static DevelopmentTrust ensure(Path dir, Clock clock) throws IOException {
    Files.createDirectories(dir);
    Path name = dir.resolve(KEY_NAME);
    AdminKeyPair key = ensureKey(name);
    // The evidence plane's online checkpoint key: never an admin key, listed in the root so
    // verifiers know which signed notes to believe.
    AdminKeyPair checkpointKey = ensureKey(dir.resolve(CHECKPOINT_KEY_NAME));
    // The control plane's online key for lease tokens, likewise never an admin key.
    AdminKeyPair leaseKey = ensureKey(dir.resolve(LEASE_KEY_NAME));
    Path trustFile = dir.resolve(TRUST_FILE);
    Instant now = clock.instant();
    if (!Files.exists(trustFile)) {
      try {
        NewFiles.write(trustFile, newRoot(key, checkpointKey, leaseKey, now).signedBy(Set.of(key)).toJsonFile());
      } catch (FileAlreadyExistsException raced) {
        // Another `quartet up` on the same dir wrote it first: read theirs below.
      }
    }
    DsseEnvelope envelope;
    try {
      envelope = DsseEnvelope.fromJson(Files.readAllBytes(trustFile));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(trustFile + ": not a DSSE envelope: " + e.getMessage(), e);
    }
    Verification v = TrustRoot.verifySelfSigned(envelope, now);
    if (v instanceof Verification.Failed f) {
      throw new IllegalStateException(trustFile + ": trust root rejected at step " + f.step() + ": " + f.reason());
    }
    TrustRoot root = TrustRoot.decode(envelope);
    if (!root.adminKeys().contains(key.publicKey())) {
      throw new IllegalStateException(trustFile + " does not list " + KeyFiles.publicKeyFile(name).getFileName()
          + " (" + key.keyId() + ") as an admin key");
    }
    return new DevelopmentTrust(key, root, trustFile);
  }

  private static AdminKeyPair ensureKey(Path name) throws IOException {
    Path priv = KeyFiles.privateKeyFile(name);
    Path pub = KeyFiles.publicKeyFile(name);
    boolean hasPriv = Files.exists(priv);
    boolean hasPub = Files.exists(pub);
    if (!hasPriv && !hasPub) {
      try {
        KeyFiles.writeNew(AdminKeyPair.generate(new SecureRandom()), name);
      } catch (FileAlreadyExistsException raced) {
        // Written concurrently by another process: load that one.
      }
    } else if (hasPriv != hasPub) {
      throw new IllegalStateException("found " + (hasPriv ? priv : pub) + " without " + (hasPriv ? pub : priv)
          + "; remove it or restore its pair");
    }
    AdminKeyPair key;
    Ed25519PublicKey published;
    try {
      key = KeyFiles.readPrivateKey(priv);
      published = KeyFiles.readPublicKey(pub);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    if (!published.equals(key.publicKey())) {
      throw new IllegalStateException(pub + " is not the public key of " + priv.getFileName());
    }
    return key;
  }

  /** The evidence checkpoint private key of a development data dir (PKCS#8 PEM, 0600). */
  public static Path checkpointKeyFile(Path dir) {
    return KeyFiles.privateKeyFile(dir.resolve(CHECKPOINT_KEY_NAME));
  }

  /** The control plane's lease-token private key of a development data dir (PKCS#8 PEM, 0600). */
  public static Path leaseKeyFile(Path dir) {
    return KeyFiles.privateKeyFile(dir.resolve(LEASE_KEY_NAME));
  }

  private static TrustRoot newRoot(AdminKeyPair key, AdminKeyPair checkpointKey, AdminKeyPair leaseKey, Instant now) {
    Map<String, Integer> thresholds = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 1));
    return new TrustRoot(1, now.truncatedTo(ChronoUnit.SECONDS).plus(VALIDITY), Set.of(key.publicKey()), 1,
        thresholds, Set.of(leaseKey.publicKey()), Set.of(checkpointKey.publicKey()));
  }

  @Override
  public String toString() {
    return "DevelopmentTrust[" + adminKey.keyId() + ", version " + root.version() + ", " + trustFile + "]";
  }
}

package dev.quartet.data.store;

import dev.quartet.data.config.EncryptionSettings;
import dev.quartet.data.domain.Classification;
import dev.quartet.data.domain.crypto.KekResolver;
import dev.quartet.data.domain.crypto.KeyEncryptionKey;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * The key-encryption keys, one per encrypted classification, in a PKCS#12 keystore
 * ({@code keks.p12}, mode 0600) created on first use. Key ids are {@code kek-<classification>-<16 hex>};
 * the newest key of a classification wraps new data keys, older ones still unwrap. Other
 * processes sharing the directory are serialised by a file lock and re-read the file when they
 * meet a key id they do not know.
 */
@Singleton
public class KekKeystore implements KekResolver {
  private static final Logger log = LoggerFactory.getLogger(KekKeystore.class);
  private static final String KEYSTORE = "keks.p12";
  private static final String LOCK = "keks.lock";
  private final Path dir;
  private final char[] password;
  private final SecureRandom random = new SecureRandom();
  private Map<String, KeyEncryptionKey> byId = Map.of();
  private Map<Classification, KeyEncryptionKey> current = Map.of();

  KekKeystore(EncryptionSettings settings) {
    this.dir = Path.of(settings.keysDir()).toAbsolutePath();
    try {
      Files.createDirectories(dir, SecretFiles.DIRECTORY);
      String configured = settings.keystorePassword();
      this.password = (configured == null || configured.isBlank()
          ? SecretFiles.readOrCreatePassword(dir.resolve("keks.password"), random) : configured).toCharArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the key directory " + dir + " (quartet.data.encryption.keys-dir)", e);
    }
  }

  /** The key that wraps new data keys of {@code classification}, created on first use. */
  public synchronized KeyEncryptionKey current(Classification classification) {
    if (!classification.encryptedAtRest()) {
      throw new IllegalArgumentException(classification + " payloads are not encrypted");
    }
    KeyEncryptionKey key = current.get(classification);
    if (key == null) {
      key = createUnderLock(classification);
    }
    return key;
  }

  @Override
  public synchronized Optional<KeyEncryptionKey> find(String keyId) {
    if (!byId.containsKey(keyId)) {
      // Another process may have created it since we last read the file.
      withLock(() -> null);
    }
    return Optional.ofNullable(byId.get(keyId));
  }

  private KeyEncryptionKey createUnderLock(Classification classification) {
    return withLock(() -> {
      KeyEncryptionKey existing = current.get(classification);
      if (existing != null) {
        return existing;
      }
      KeyStore store = loadOrEmpty();
      byte[] suffix = new byte[8];
      random.nextBytes(suffix);
      String id = "kek-" + classification.name().toLowerCase(Locale.ROOT) + "-" + HexFormat.of().formatHex(suffix);
      KeyGenerator generator = KeyGenerator.getInstance("AES");
      generator.init(256, random);
      SecretKey key = generator.generateKey();
      store.setEntry(id, new KeyStore.SecretKeyEntry(key), new KeyStore.PasswordProtection(password));
      SecretFiles.writeAtomically(dir.resolve(KEYSTORE), out -> store.store(out, password));
      index(store);
      log.info("Created key-encryption key {} for {} in {}", id, classification, dir);
      return current.get(classification);
    });
  }

  private interface LockedAction<T> {
    T run() throws IOException, GeneralSecurityException;
  }

  /** Runs {@code action} holding the directory's file lock, after re-reading the keystore. */
  private <T> T withLock(LockedAction<T> action) {
    try (FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        SecretFiles.FILE);
         FileLock ignored = lockFile.lock()) {
      index(loadOrEmpty());
      return action.run();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the key-encryption keystore in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot use the key-encryption keystore in " + dir, e);
    }
  }

  private KeyStore loadOrEmpty() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    Path file = dir.resolve(KEYSTORE);
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        store.load(in, password);
      }
    } else {
      store.load(null, password);
    }
    return store;
  }

  private void index(KeyStore store) throws GeneralSecurityException {
    Map<String, KeyEncryptionKey> ids = new HashMap<>();
    Map<Classification, KeyEncryptionKey> newest = new HashMap<>();
    Map<Classification, Date> newestAt = new HashMap<>();
    for (String alias : Collections.list(store.aliases())) {
      Key key = store.getKey(alias, password);
      if (!(key instanceof SecretKey secret) || !alias.matches(KeyEncryptionKey.ID_PATTERN)) {
        continue;
      }
      var kek = new KeyEncryptionKey(alias, secret);
      ids.put(alias, kek);
      Classification c = classificationOf(alias);
      Date created = store.getCreationDate(alias);
      if (c != null && (newestAt.get(c) == null || created.after(newestAt.get(c)))) {
        newest.put(c, kek);
        newestAt.put(c, created);
      }
    }
    byId = Map.copyOf(ids);
    current = Map.copyOf(newest);
  }

  private static Classification classificationOf(String alias) {
    String[] parts = alias.split("-");
    try {
      return parts.length == 3 && parts[0].equals("kek") ? Classification.parse(parts[1]) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * The key-encryption keys, one per encrypted classification, in a PKCS#12 keystore
 * ({@code keks.p12}, mode 0600) created on first use. Key ids are {@code kek-<classification>-<16 hex>};
 * the newest key of a classification wraps new data keys, older ones still unwrap. Other
 * processes sharing the directory are serialised by a file lock and re-read the file when they
 * meet a key id they do not know. {@link #rotate} adds a newer key; {@link #retire} deletes an old
 * one, after which nothing it wrapped can be unwrapped with it. Keys handed out for an upload are
 * counted while in use ({@link #lease}), and a key in use in this process is never retired.
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
  private Map<String, Date> createdAt = Map.of();
  private final Map<String, Integer> inUse = new HashMap<>();
  private final ReentrantReadWriteLock unwrapGuard = new ReentrantReadWriteLock();

  /** A key held for one upload's encryption: {@link #close()} returns it. */
  public final class Lease implements AutoCloseable {
    private final KeyEncryptionKey key;
    private boolean closed;

    private Lease(KeyEncryptionKey key) {
      this.key = key;
    }

    /** The key to wrap the upload's data key with. */
    public KeyEncryptionKey key() {
      return key;
    }

    @Override
    public void close() {
      synchronized (KekKeystore.this) {
        if (!closed) {
          closed = true;
          inUse.computeIfPresent(key.id(), (id, n) -> n == 1 ? null : n - 1);
        }
      }
    }
  }

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

  /** {@link #current} held as in use until the lease is closed, so a rotation does not retire it meanwhile. */
  public synchronized Lease lease(Classification classification) {
    KeyEncryptionKey key = current(classification);
    inUse.merge(key.id(), 1, Integer::sum);
    return new Lease(key);
  }

  /**
   * Creates a new key for {@code classification}, which wraps new data keys from now on; older
   * keys keep unwrapping until they are retired.
   */
  public synchronized KeyEncryptionKey rotate(Classification classification) {
    if (!classification.encryptedAtRest()) {
      throw new IllegalArgumentException(classification + " payloads are not encrypted");
    }
    return withLock(() -> createKey(classification, loadOrEmpty()));
  }

  /** Ids of the keys of {@code classification} in the keystore, oldest first. */
  public synchronized List<String> keyIds(Classification classification) {
    withLock(() -> null);
    List<String> ids = new ArrayList<>();
    for (String id : byId.keySet()) {
      if (classification.equals(classificationOf(id))) {
        ids.add(id);
      }
    }
    ids.sort(Comparator.comparing((String id) -> createdAt.get(id)).thenComparing(Comparator.naturalOrder()));
    return ids;
  }

  /** Whether a lease of this process still holds key {@code keyId}. */
  public synchronized boolean inUse(String keyId) {
    return inUse.containsKey(keyId);
  }

  /**
   * Deletes key {@code keyId}: nothing wrapped by it can be unwrapped afterwards. The caller has
   * made sure no payload still needs it.
   *
   * @throws IllegalStateException when it is its classification's current key or in use here
   */
  public void retire(String keyId) {
    // Outside the monitor: a reader holding the guard may need find() (synchronized) to finish.
    unwrapGuard.writeLock().lock();
    try {
      retireUnderGuard(keyId);
    } finally {
      unwrapGuard.writeLock().unlock();
    }
  }

  /**
   * Held while a reader looks up a payload's current wrap and unwraps its data key, so a key is
   * never retired between the two (the re-wrap a rotation commits is seen, or the old key is still
   * there). Close it once the data key is unwrapped.
   */
  public UnwrapGuard unwrapping() {
    unwrapGuard.readLock().lock();
    return new UnwrapGuard(unwrapGuard.readLock());
  }

  /** A held {@link #unwrapping()} guard; closing releases it. */
  public static final class UnwrapGuard implements AutoCloseable {
    private final Lock lock;
    private boolean released;

    private UnwrapGuard(Lock lock) {
      this.lock = lock;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        lock.unlock();
      }
    }
  }

  private synchronized void retireUnderGuard(String keyId) {
    withLock(() -> {
      Classification c = classificationOf(keyId);
      if (c != null && current.get(c) != null && current.get(c).id().equals(keyId)) {
        throw new IllegalStateException("key " + keyId + " is the current key of " + c + "; rotate first");
      }
      if (inUse.containsKey(keyId)) {
        throw new IllegalStateException("key " + keyId + " is wrapping an upload in progress");
      }
      KeyStore store = loadOrEmpty();
      if (store.containsAlias(keyId)) {
        store.deleteEntry(keyId);
        SecretFiles.writeAtomically(dir.resolve(KEYSTORE), out -> store.store(out, password));
        log.info("Retired key-encryption key {} in {}", keyId, dir);
      }
      index(store);
      return null;
    });
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
      return createKey(classification, loadOrEmpty());
    });
  }

  private KeyEncryptionKey createKey(Classification classification, KeyStore store) throws IOException, GeneralSecurityException {
    KeyEncryptionKey previous = current.get(classification);
    Date previousAt = previous == null ? null : createdAt.get(previous.id());
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256, random);
    // The newest key by creation time (ms) is current: a new key must be strictly newer. The
    // clock moves on within a millisecond, so this loop ends after a few tries.
    String id;
    do {
      byte[] suffix = new byte[8];
      random.nextBytes(suffix);
      id = "kek-" + classification.name().toLowerCase(Locale.ROOT) + "-" + HexFormat.of().formatHex(suffix);
      store.setEntry(id, new KeyStore.SecretKeyEntry(generator.generateKey()), new KeyStore.PasswordProtection(password));
      if (previousAt == null || store.getCreationDate(id).after(previousAt)) {
        break;
      }
      store.deleteEntry(id);
      Thread.onSpinWait();
    } while (true);
    String created = id;
    SecretFiles.writeAtomically(dir.resolve(KEYSTORE), out -> store.store(out, password));
    index(store);
    log.info("Created key-encryption key {} for {} in {}", created, classification, dir);
    return current.get(classification);
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
    Map<String, Date> dates = new HashMap<>();
    for (String alias : Collections.list(store.aliases())) {
      Key key = store.getKey(alias, password);
      if (!(key instanceof SecretKey secret) || !alias.matches(KeyEncryptionKey.ID_PATTERN)) {
        continue;
      }
      var kek = new KeyEncryptionKey(alias, secret);
      ids.put(alias, kek);
      Classification c = classificationOf(alias);
      Date created = store.getCreationDate(alias);
      dates.put(alias, created);
      if (c != null && (newestAt.get(c) == null || created.after(newestAt.get(c)))) {
        newest.put(c, kek);
        newestAt.put(c, created);
      }
    }
    byId = Map.copyOf(ids);
    current = Map.copyOf(newest);
    createdAt = Map.copyOf(dates);
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

package dev.quartet.data.store;

import dev.quartet.data.config.BlobStoreSettings;
import dev.quartet.data.domain.BlobKey;
import dev.quartet.data.domain.Sha256;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;

/**
 * The blob store in a local directory: {@code <dir>/sha256/<2 hex>/<64 hex>}, written to
 * {@code <dir>/tmp} first, fsynced and atomically renamed into place, so a crash leaves at most a
 * temporary file (removed on the next start once stale), never a half-stored blob. Paths are
 * built from validated digests only and symbolic links are refused, so no key reaches outside.
 */
@Singleton
@Requires(property = "quartet.data.blob-store.type", value = "local", defaultValue = "local")
public class LocalBlobStore implements BlobStore {
  private static final Logger log = LoggerFactory.getLogger(LocalBlobStore.class);
  private static final String TEMP_SUFFIX = ".part";
  private final Path root;
  private final Path temp;
  private final Path blobs;

  @Inject
  LocalBlobStore(BlobStoreSettings settings) {
    this(Path.of(settings.dir()), settings, Clock.systemUTC());
  }

  /** A store rooted at {@code dir}; removes temporary files older than the settings allow. */
  public LocalBlobStore(Path dir, BlobStoreSettings settings, Clock clock) {
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      // The configured root may itself be a link (operators move data dirs); below it, none is followed.
      this.root = dir.toRealPath();
      this.temp = plainDirectory(root.resolve("tmp"));
      this.blobs = plainDirectory(root.resolve("sha256"));
      removeStaleTemporaries(clock.instant().minus(settings.staleTempAfter()).toEpochMilli());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the blob store in " + dir + " (quartet.data.blob-store.dir)", e);
    }
    log.info("Blob store in {}", root);
  }

  @Override
  public BlobUpload begin() throws IOException {
    Path file = temp.resolve(UUID.randomUUID() + TEMP_SUFFIX);
    FileChannel channel = FileChannel.open(file, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return new LocalUpload(file, channel);
  }

  @Override
  public InputStream open(BlobKey key) throws IOException {
    Path file = pathOf(key);
    if (Files.isSymbolicLink(file.getParent())) {
      throw new IOException("blob directory " + file.getParent() + " is a symbolic link; refused");
    }
    // NOFOLLOW_LINKS: a link planted in place of a blob is refused (ELOOP), not followed.
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    return Channels.newInputStream(channel);
  }

  @Override
  public boolean exists(BlobKey key) {
    return Files.isRegularFile(pathOf(key), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    Path file = pathOf(key);
    if (Files.isSymbolicLink(file.getParent())) {
      throw new IOException("blob directory " + file.getParent() + " is a symbolic link; refused");
    }
    // deleteIfExists removes a link planted in place of a blob, never what it points to.
    boolean removed = Files.deleteIfExists(file);
    if (removed) {
      fsyncDirectory(file.getParent());
    }
    return removed;
  }

  /** Where {@code key}'s blob lives; always under the store's root. */
  public Path pathOf(BlobKey key) {
    String hex = key.storedSha256().hex();
    Path file = blobs.resolve(hex.substring(0, 2)).resolve(hex).normalize();
    if (!file.startsWith(blobs)) {
      throw new IllegalArgumentException("blob key resolves outside the store");
    }
    return file;
  }

  private Path plainDirectory(Path dir) throws IOException {
    if (Files.isSymbolicLink(dir)) {
      throw new IOException(dir + " is a symbolic link; refused");
    }
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    return dir;
  }

  private void removeStaleTemporaries(long olderThanMillis) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(temp, "*" + TEMP_SUFFIX)) {
      for (Path f : files) {
        FileTime modified = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS);
        if (modified.toMillis() < olderThanMillis && Files.deleteIfExists(f)) {
          removed++;
        }
      }
    }
    if (removed > 0) {
      log.warn("Removed {} stale blob upload(s) left by an interrupted process in {}", removed, temp);
    }
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    // The rename is durable only once the directory entry is: fsync the directory itself.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private final class LocalUpload implements BlobUpload {
    private final Path file;
    private final FileChannel channel;
    private final MessageDigest digest = Sha256.newDigest();
    private final OutputStream stream;
    private boolean committed;

    LocalUpload(Path file, FileChannel channel) {
      this.file = file;
      this.channel = channel;
      // Closing is commit()'s or close()'s job: callers' wrappers must not close the channel early.
      OutputStream unclosable = new java.io.FilterOutputStream(Channels.newOutputStream(channel)) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush();
        }
      };
      this.stream = new DigestOutputStream(new BufferedOutputStream(unclosable, 64 * 1024), digest);
    }

    @Override
    public OutputStream stream() {
      return stream;
    }

    @Override
    public BlobKey commit() throws IOException {
      stream.flush();
      channel.force(true);
      channel.close();
      BlobKey key = new BlobKey(Sha256.of(digest));
      Path target = pathOf(key);
      Path shard = plainDirectory(target.getParent());
      // Same address means same bytes: replacing an existing blob is harmless (and repairs it).
      Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      fsyncDirectory(shard);
      committed = true;
      return key;
    }

    @Override
    public void close() {
      if (committed) {
        return;
      }
      try {
        channel.close();
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot discard the unfinished blob upload " + file, e);
      }
    }
  }
}

package dev.quartet.data.store;

import dev.quartet.data.domain.BlobKey;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Content-addressed storage of payload bytes too large to travel inline (the claim check).
 * A blob becomes visible only once completely and durably written; an abandoned upload leaves
 * nothing behind.
 */
public interface BlobStore {
  /** Starts a new blob; nothing is visible until {@link BlobUpload#commit()}. */
  BlobUpload begin() throws IOException;

  /**
   * Opens a stored blob from its first byte.
   *
   * @throws java.nio.file.NoSuchFileException when no blob has this key
   * @throws IOException when it cannot be read, or its path is not a plain file inside the store
   */
  InputStream open(BlobKey key) throws IOException;

  /**
   * Whether a blob with this key is stored now.
   *
   * @throws IOException when the store cannot tell
   */
  boolean exists(BlobKey key) throws IOException;

  /**
   * Removes a stored blob; a blob already gone is no error (removal is retried and may race).
   *
   * @return true when this call removed it, false when no blob had this key
   * @throws IOException when the store cannot remove it now
   */
  boolean delete(BlobKey key) throws IOException;

  /** One blob being written. Closing it without a commit discards everything written. */
  interface BlobUpload extends Closeable {
    /** Where the blob's bytes go; do not close it, {@link #commit()} does. */
    OutputStream stream();

    /** Makes the bytes durable and visible under their content address, atomically. */
    BlobKey commit() throws IOException;

    /** Discards the upload unless it was committed. */
    @Override
    void close();
  }
}

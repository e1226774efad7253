package dev.quartet.data.domain;

/**
 * Content address of a blob: the SHA-256 of the bytes as stored (ciphertext when encrypted).
 * Being a validated digest, a key can never name a path outside the blob store.
 */
public record BlobKey(Sha256 storedSha256) {
  private static final String URI_PREFIX = "blob:sha256/";

  public BlobKey {
    if (storedSha256 == null) {
      throw new IllegalArgumentException("BlobKey: digest required");
    }
  }

  /**
   * Parses {@code blob:sha256/<hex>}.
   *
   * @throws IllegalArgumentException for anything else, e.g. a path with {@code ..}
   */
  public static BlobKey parse(String uri) {
    if (uri == null || !uri.startsWith(URI_PREFIX)) {
      throw new IllegalArgumentException("blob key must be " + URI_PREFIX + "<64 hex>");
    }
    return new BlobKey(new Sha256(uri.substring(URI_PREFIX.length())));
  }

  /** {@code blob:sha256/<hex>}. */
  public String uri() {
    return URI_PREFIX + storedSha256.hex();
  }
}

package dev.quartet.data.domain.crypto;

import javax.crypto.SecretKey;

/**
 * An AES-256 key-encryption key (KEK) and its id. The id is recorded with every payload whose
 * data key it wraps; the key material never leaves this record's holder ({@link #toString}
 * shows the id only).
 */
public record KeyEncryptionKey(String id, SecretKey key) {
  /** Syntax of key ids: they go into envelope headers (one length byte) and file aliases. */
  public static final String ID_PATTERN = "[a-z0-9][a-z0-9-]{0,63}";

  public KeyEncryptionKey {
    if (id == null || !id.matches(ID_PATTERN)) {
      throw new IllegalArgumentException("key id must match " + ID_PATTERN);
    }
    if (key == null || !"AES".equalsIgnoreCase(key.getAlgorithm()) || key.getEncoded() == null
        || key.getEncoded().length != 32) {
      throw new IllegalArgumentException("key " + id + " must be a 256-bit AES key");
    }
  }

  @Override
  public String toString() {
    return "KeyEncryptionKey[id=" + id + "]";
  }
}

package dev.quartet.data.domain.crypto;

import java.util.Arrays;

/**
 * A payload's data key wrapped again, outside its envelope, by a newer key-encryption key
 * {@code keyId}: a KEK rotation replaces this small value instead of rewriting the payload. The
 * envelope header (whose digest authenticates every chunk) stays as written; the wrap binds the
 * data key to that header and to {@code keyId}.
 */
public record WrappedDataKey(String keyId, byte[] nonce, byte[] wrapped) {
  public WrappedDataKey {
    if (keyId == null || !keyId.matches(KeyEncryptionKey.ID_PATTERN)) {
      throw new IllegalArgumentException("WrappedDataKey: key id must match " + KeyEncryptionKey.ID_PATTERN);
    }
    if (nonce == null || nonce.length != EnvelopeHeader.GCM_NONCE_BYTES
        || wrapped == null || wrapped.length != EnvelopeHeader.WRAPPED_KEY_BYTES) {
      throw new IllegalArgumentException("WrappedDataKey: " + EnvelopeHeader.GCM_NONCE_BYTES + "-byte nonce and "
          + EnvelopeHeader.WRAPPED_KEY_BYTES + "-byte wrapped key required");
    }
    nonce = nonce.clone();
    wrapped = wrapped.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public byte[] wrapped() {
    return wrapped.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrappedDataKey w && keyId.equals(w.keyId) && Arrays.equals(nonce, w.nonce) && Arrays.equals(wrapped, w.wrapped);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode() * 31 + Arrays.hashCode(wrapped);
  }

  @Override
  public String toString() {
    return "WrappedDataKey[keyId=" + keyId + "]";
  }
}

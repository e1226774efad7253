package dev.quartet.data.domain.crypto;

import java.util.Optional;

/** Finds the key-encryption key an envelope names; the keys' storage is the caller's concern. */
@FunctionalInterface
public interface KekResolver {
  /** The key with this id, or empty when it is unknown. */
  Optional<KeyEncryptionKey> find(String keyId);
}

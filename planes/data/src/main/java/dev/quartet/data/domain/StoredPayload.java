package dev.quartet.data.domain;

import java.time.Instant;

/**
 * One stored payload as the index knows it. {@code sha256} and {@code size} describe the
 * plaintext the caller uploaded; {@code keyId} names the key-encryption key (null when stored
 * in clear); {@code tenant} owns it (null: stored by an unscoped principal for no tenant, visible
 * only to unscoped principals); {@code quarantine} is null unless it broke its route's rule.
 */
public record StoredPayload(PayloadId id, Sha256 sha256, long size, Classification classification, String route,
                            PayloadLocation location, String keyId, String tenant, String storedBy, Instant storedAt,
                            Quarantine quarantine) {
  /** A payload never quarantined. */
  public StoredPayload(PayloadId id, Sha256 sha256, long size, Classification classification, String route,
                       PayloadLocation location, String keyId, String tenant, String storedBy, Instant storedAt) {
    this(id, sha256, size, classification, route, location, keyId, tenant, storedBy, storedAt, null);
  }

  public StoredPayload {
    if (id == null || sha256 == null || classification == null || location == null || storedAt == null) {
      throw new IllegalArgumentException("StoredPayload: id, sha256, classification, location and storedAt required");
    }
    if (size < 0) {
      throw new IllegalArgumentException("StoredPayload: size must be >= 0, was " + size);
    }
    Routes.requireValid(route);
    Tenants.requireValidOrNull(tenant);
    if (classification.encryptedAtRest() != (keyId != null)) {
      throw new IllegalArgumentException("StoredPayload: " + classification + " is " + (classification.encryptedAtRest()
          ? "encrypted at rest and needs a key id" : "stored in clear and takes no key id"));
    }
  }

  /** Whether it is held in quarantine: stored, but served to nobody until released. */
  public boolean quarantined() {
    return quarantine != null && quarantine.holding();
  }

  /** Whether the bytes travel inside a Kafka record rather than the blob store. */
  public boolean inline() {
    return location instanceof PayloadLocation.InlineRecord;
  }
}

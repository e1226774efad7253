package dev.quartet.data.api;

import dev.quartet.data.domain.StoredPayload;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The reference answered for a stored payload, with the SPEC's names. {@code ref} is
 * {@code quartet:payload/<id>}; {@code keyId} is present only when the payload is encrypted;
 * {@code quarantined} says it broke its route's rule ({@code quarantineReason}) and is held.
 */
@Serdeable
public record PayloadReferenceView(String ref, String id, String sha256, long size, String classification,
                                   String route, boolean inline, @Nullable String keyId, boolean quarantined,
                                   @Nullable String quarantineReason) {
  /** The view of {@code p}. */
  public static PayloadReferenceView of(StoredPayload p) {
    return new PayloadReferenceView(p.id().ref(), p.id().toString(), p.sha256().hex(), p.size(),
        p.classification().name(), p.route(), p.inline(), p.keyId(), p.quarantined(),
        p.quarantine() == null ? null : p.quarantine().reason());
  }
}

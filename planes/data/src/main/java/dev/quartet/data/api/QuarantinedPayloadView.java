package dev.quartet.data.api;

import dev.quartet.data.domain.StoredPayload;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A payload held in quarantine as the list shows it: reference, digest, route, the rule it broke. Never content. */
@Serdeable
public record QuarantinedPayloadView(String ref, String sha256, long size, String classification, String route,
                                     @Nullable String tenant, String reason, String quarantinedAt) {
  /** The view of quarantined {@code p}. */
  public static QuarantinedPayloadView of(StoredPayload p) {
    return new QuarantinedPayloadView(p.id().ref(), p.sha256().hex(), p.size(), p.classification().name(), p.route(),
        p.tenant(), p.quarantine().reason(), p.quarantine().quarantinedAt().toString());
  }
}

package dev.quartet.control.api;

import dev.quartet.control.store.ConfigVersionStore.StoredVersion;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.nio.charset.StandardCharsets;

/** A configuration version as the API shows it, with the signed envelope (DSSE JSON) verbatim. */
@Serdeable
public record ConfigVersionView(String scope, long version, String digest, String parent, @Nullable String issuedAt,
                                String expiresAt, String signers, String publishedAt, String envelope) {
  static ConfigVersionView of(StoredVersion v) {
    var s = v.snapshot();
    return new ConfigVersionView(s.scope().toString(), s.version(), s.digest(), s.parent(),
        s.issuedAt() == null ? null : s.issuedAt().toString(), s.expiresAt().toString(), v.signers(),
        v.publishedAt().toString(), new String(v.envelope().toJson(), StandardCharsets.UTF_8));
  }
}

package dev.quartet.evidence.api;

import dev.quartet.evidence.store.RedactionStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Base64;

/**
 * One redacted attribute of an event: its commitment as the log holds it and, until destroyed,
 * the salt (base64) and value that open it; {@code destroyedAt} once they are gone.
 */
@Serdeable
public record RedactionView(String eventId, String attribute, String commitment, @Nullable String salt,
                            @Nullable String value, @Nullable String destroyedAt) {
  static RedactionView of(String eventId, RedactionStore.StoredOpening o) {
    return new RedactionView(eventId, o.attribute(), o.commitment(),
        o.salt() == null ? null : Base64.getEncoder().encodeToString(o.salt()), o.value(),
        o.destroyedAt() == null ? null : o.destroyedAt().toString());
  }
}

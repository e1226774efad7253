package dev.quartet.data.api;

import dev.quartet.data.PayloadKeyRotation;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** The answer to a KEK rotation: the new key, the keys retired and kept, and the re-wrap counts. */
@Serdeable
public record KeyRotationView(String classification, String keyId, List<String> previousKeyIds, List<String> retiredKeyIds,
                              List<String> keptKeyIds, long rewrapped, long failed, int batches) {
  /** The view of {@code r}. */
  public static KeyRotationView of(PayloadKeyRotation.Rotation r) {
    return new KeyRotationView(r.classification().name(), r.keyId(), r.previousKeyIds(), r.retiredKeyIds(), r.keptKeyIds(),
        r.rewrapped(), r.failed(), r.batches());
  }
}

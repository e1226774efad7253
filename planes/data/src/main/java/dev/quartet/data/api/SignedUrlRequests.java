package dev.quartet.data.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Bodies of the requests that issue signed URLs. */
public final class SignedUrlRequests {
  private SignedUrlRequests() {}

  /** {@code POST /v1/payloads/{id}/urls}: how long the read URL lasts (default: the configured default TTL). */
  @Serdeable
  public record ReadUrl(@Nullable Long ttlSeconds) {}

  /**
   * {@code POST /v1/payloads/upload-slots}: what the slot takes ({@code sha256}, {@code maxBytes}
   * optional) and how long its URL lasts.
   */
  @Serdeable
  public record UploadSlot(String classification, @Nullable String route, @Nullable String tenant,
                           @Nullable String sha256, @Nullable Long maxBytes, @Nullable Long ttlSeconds) {}
}

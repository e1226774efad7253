package dev.quartet.data.api;

import dev.quartet.data.SignedUrls;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * An issued signed URL: {@code url} (absolute) and {@code path} (path and query on the data
 * plane), the {@code method} it is for, its expiry, and the payload {@code ref} (read) or
 * {@code slotId} (write) it grants.
 */
@Serdeable
public record SignedUrlView(String url, String path, String method, String access, String expiresAt,
                            @Nullable String ref, @Nullable String slotId) {
  /** The view of {@code u}, its URL starting with {@code baseUrl}. */
  public static SignedUrlView of(SignedUrls.IssuedUrl u, String baseUrl) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    boolean read = u.payload() != null;
    return new SignedUrlView(base + u.pathAndQuery(), u.pathAndQuery(), read ? "GET" : "PUT", read ? "read" : "write",
        u.expiresAt().toString(), read ? u.payload().id().ref() : null, read ? null : u.slot().id().toString());
  }
}

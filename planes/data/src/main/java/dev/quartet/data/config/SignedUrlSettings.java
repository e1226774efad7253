package dev.quartet.data.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Signed URLs to read a blob, or to upload into a slot, without a bearer token.
 *
 * @param maxTtl longest validity a URL may be issued with
 * @param defaultTtl validity when the request names none
 * @param key base64 (or base64url) HMAC-SHA256 key of at least 32 bytes, shared by every data plane
 *     replica; when unset, one is generated on first start into {@code url-signing.key} (mode 0600)
 *     under {@code quartet.data.encryption.keys-dir}
 * @param publicBaseUrl scheme, host and port the issued URLs start with (e.g. behind a proxy);
 *     when unset, the host the issuing request was addressed to
 */
@ConfigurationProperties("quartet.data.signed-urls")
public record SignedUrlSettings(@NotNull Duration maxTtl, @NotNull Duration defaultTtl, @Nullable String key,
                                @Nullable String publicBaseUrl) {
  public SignedUrlSettings {
    if (maxTtl != null && defaultTtl != null && (defaultTtl.compareTo(maxTtl) > 0 || defaultTtl.toSeconds() < 1)) {
      throw new IllegalArgumentException("quartet.data.signed-urls.default-ttl must be between 1s and max-ttl (" + maxTtl + ")");
    }
  }

  @Override
  public String toString() {
    return "SignedUrlSettings[maxTtl=" + maxTtl + ", defaultTtl=" + defaultTtl + ", key=" + (key == null ? "unset" : "***")
        + ", publicBaseUrl=" + publicBaseUrl + "]";
  }
}

package dev.quartet.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Authentication settings of a plane process.
 *
 * @param adminToken the bootstrap admin bearer token ({@code QUARTET_ADMIN_TOKEN}; `quartet up`
 *     generates one into {@code admin.token}); when unset, the admin token is refused
 * @param tokenSecret the shared HS256 secret API tokens are signed with ({@code QUARTET_TOKEN_SECRET},
 *     at least 32 bytes; `quartet up` generates one into {@code token.secret}); when unset, API
 *     tokens are refused and none can be minted
 * @param tokenClockSkew how far clocks of the minting and the checking plane may disagree when
 *     checking {@code exp} and {@code iat}
 */
@ConfigurationProperties("quartet.security")
public record SecuritySettings(@Nullable String adminToken, @Nullable String tokenSecret, @NotNull Duration tokenClockSkew) {
  @Override
  public String toString() {
    return "SecuritySettings[adminToken=" + masked(adminToken) + ", tokenSecret=" + masked(tokenSecret)
        + ", tokenClockSkew=" + tokenClockSkew + "]";
  }

  private static String masked(String secret) {
    return secret == null || secret.isBlank() ? "unset" : "***";
  }
}

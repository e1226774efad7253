package dev.quartet.runtime;

import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Holds this process's API token signer and checker, made from {@code quartet.security.token-secret}.
 * Created at start-up so a missing secret is reported once and a too-short one stops the plane.
 */
@Context
public class ApiTokenAuthority {
  private static final Logger log = LoggerFactory.getLogger(ApiTokenAuthority.class);
  private final ApiTokens tokens;

  ApiTokenAuthority(SecuritySettings settings) {
    String secret = settings.tokenSecret();
    if (secret == null || secret.isBlank()) {
      log.warn("No API token secret configured (quartet.security.token-secret): API tokens are refused and none can be minted");
      this.tokens = null;
    } else {
      try {
        this.tokens = new ApiTokens(secret.trim().getBytes(StandardCharsets.UTF_8), settings.tokenClockSkew());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("quartet.security.token-secret: " + e.getMessage(), e);
      }
    }
  }

  /** The signer and checker, or empty when no secret is configured. */
  public Optional<ApiTokens> tokens() {
    return Optional.ofNullable(tokens);
  }
}

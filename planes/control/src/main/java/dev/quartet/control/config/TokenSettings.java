package dev.quartet.control.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * API tokens the control plane mints ({@code POST /v1/tokens}).
 *
 * @param defaultTtl lifetime of a token whose request names none
 * @param maxTtl longest lifetime a request may ask for
 * @param evidenceTimeout bound on recording {@code token.issued}; no token is handed out unrecorded
 */
@ConfigurationProperties("quartet.security.mint")
public record TokenSettings(@NotNull Duration defaultTtl, @NotNull Duration maxTtl, @NotNull Duration evidenceTimeout) {
  public TokenSettings {
    if (defaultTtl.isNegative() || defaultTtl.isZero() || defaultTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("quartet.security.mint.default-ttl (" + defaultTtl
          + ") must be positive and at most max-ttl (" + maxTtl + ")");
    }
  }
}

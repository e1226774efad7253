package dev.quartet.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Authentication settings of a plane process.
 *
 * @param adminToken the bootstrap admin bearer token ({@code QUARTET_ADMIN_TOKEN}; `quartet up`
 *     generates one into {@code admin.token}); when unset, no bearer token is accepted
 */
@ConfigurationProperties("quartet.security")
public record SecuritySettings(@Nullable String adminToken) {
  @Override
  public String toString() {
    return "SecuritySettings[adminToken=" + (adminToken == null ? "unset" : "***") + "]";
  }
}

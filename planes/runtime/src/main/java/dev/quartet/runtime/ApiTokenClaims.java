package dev.quartet.runtime;

import dev.quartet.contracts.ConfigScope;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What an API token says about its bearer: who ({@code sub}), which roles, which tenant ("*" only
 * for ADMIN tokens), when it was issued and expires (whole seconds, as JWTs carry them) and its id.
 */
public record ApiTokenClaims(String subject, List<String> roles, String tenant, Instant issuedAt, Instant expiresAt, String id) {
  /** The tenant of a token scoped to no tenant; only ADMIN tokens may carry it. */
  public static final String ALL_TENANTS = "*";
  /** Longest subject accepted: a name, not a document. */
  public static final int MAX_SUBJECT_LENGTH = 200;

  /** @throws IllegalArgumentException naming the first claim that is missing or not allowed */
  public ApiTokenClaims {
    if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH
        || subject.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("subject must be 1-" + MAX_SUBJECT_LENGTH + " printable characters");
    }
    if (roles == null || roles.isEmpty()) {
      throw new IllegalArgumentException("at least one role is required, of " + Roles.ALL);
    }
    for (String role : roles) {
      if (!Roles.ALL.contains(role)) {
        throw new IllegalArgumentException("unknown role " + role + "; known roles are " + Roles.ALL);
      }
    }
    roles = List.copyOf(new LinkedHashSet<>(roles));
    if (ALL_TENANTS.equals(tenant)) {
      if (!roles.contains(Roles.ADMIN)) {
        throw new IllegalArgumentException("tenant \"*\" is only for tokens with the ADMIN role; name a tenant");
      }
    } else if (tenant == null || !ConfigScope.NAME.matcher(tenant).matches()) {
      throw new IllegalArgumentException("tenant must be \"*\" (ADMIN only) or match " + ConfigScope.NAME + ", was " + tenant);
    }
    if (issuedAt == null || expiresAt == null || !expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("a token must expire after it is issued");
    }
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a token needs an id (jti)");
    }
  }
}

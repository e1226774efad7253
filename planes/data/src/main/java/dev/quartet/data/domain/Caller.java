package dev.quartet.data.domain;

import java.util.Set;

/**
 * Who is asking: principal, roles (data access is decided on them), tenant scope, and the
 * correlation id their request carries (null: the payload's own reference is used).
 */
public record Caller(String principal, Set<String> roles, String tenant, String correlationId) {
  public Caller {
    if (principal == null || principal.isBlank() || tenant == null || tenant.isBlank()) {
      throw new IllegalArgumentException("Caller: principal and tenant required");
    }
    roles = Set.copyOf(roles);
    if (correlationId != null && !correlationId.matches("[A-Za-z0-9._:/@-]{1,128}")) {
      throw new IllegalArgumentException("correlation id must be 1-128 characters of letters, digits and ._:/@-");
    }
  }
}

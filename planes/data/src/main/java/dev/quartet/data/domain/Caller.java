package dev.quartet.data.domain;

import java.util.Set;

/**
 * Who is asking: principal, roles (data access is decided on them), tenant scope ({@link #ANY_TENANT}
 * for an unscoped principal), and the correlation id their request carries (null: the payload's
 * own reference is used).
 */
public record Caller(String principal, Set<String> roles, String tenant, String correlationId) {
  /** Tenant attribute of a principal scoped to no single tenant. */
  public static final String ANY_TENANT = "*";
  /** Tenant recorded on the evidence of unscoped principals and unowned payloads, like the other planes. */
  public static final String SYSTEM_TENANT = "system";

  public Caller {
    if (principal == null || principal.isBlank() || tenant == null || tenant.isBlank()) {
      throw new IllegalArgumentException("Caller: principal and tenant required");
    }
    if (!ANY_TENANT.equals(tenant)) {
      Tenants.requireValidOrNull(tenant);
    }
    roles = Set.copyOf(roles);
    requireValidCorrelationId(correlationId);
  }

  /**
   * {@code correlationId}, null included, when it is a valid correlation id.
   *
   * @throws IllegalArgumentException naming the accepted form
   */
  public static String requireValidCorrelationId(String correlationId) {
    if (correlationId != null && !correlationId.matches("[A-Za-z0-9._:/@-]{1,128}")) {
      throw new IllegalArgumentException("correlation id must be 1-128 characters of letters, digits and ._:/@-");
    }
    return correlationId;
  }

  /** Whether this principal acts for every tenant. */
  public boolean unscoped() {
    return ANY_TENANT.equals(tenant);
  }

  /**
   * Whether a payload owned by {@code owner} (null: stored by an unscoped principal for no tenant)
   * exists for this caller. Another tenant's payloads do not: they answer as unknown.
   */
  public boolean sees(String owner) {
    return unscoped() || tenant.equals(owner);
  }

  /**
   * The tenant a payload stored by this caller belongs to: its own tenant when scoped; when
   * unscoped, {@code requested} (null: no tenant).
   *
   * @throws IllegalArgumentException when a scoped caller asks for another tenant
   */
  public String owningTenant(String requested) {
    if (unscoped()) {
      return requested;
    }
    if (requested != null && !requested.equals(tenant)) {
      throw new IllegalArgumentException("a principal of tenant " + tenant + " stores payloads for its own tenant only");
    }
    return tenant;
  }
}

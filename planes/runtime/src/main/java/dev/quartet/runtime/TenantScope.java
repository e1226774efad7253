package dev.quartet.runtime;

import io.micronaut.security.authentication.Authentication;

/**
 * Tenant scoping of a principal: a token names one tenant, or "*" (admins) for all. Endpoints ask
 * {@link #permits} before showing or changing anything of a tenant.
 */
public final class TenantScope {
  private TenantScope() {}

  /** The tenant {@code who} is scoped to, or "*"; "" (no tenant at all) when it carries none. */
  public static String tenantOf(Authentication who) {
    Object tenant = who.getAttributes().get(Roles.TENANT_ATTRIBUTE);
    return tenant == null ? "" : tenant.toString();
  }

  /** Whether {@code who} may act on {@code tenant}: its own tenant, or any when scoped to "*". */
  public static boolean permits(Authentication who, String tenant) {
    String scope = tenantOf(who);
    return ApiTokenClaims.ALL_TENANTS.equals(scope) || (!scope.isEmpty() && scope.equals(tenant));
  }
}

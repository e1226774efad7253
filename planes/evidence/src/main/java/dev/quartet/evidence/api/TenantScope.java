package dev.quartet.evidence.api;

import dev.quartet.runtime.InvalidRequestException;
import dev.quartet.runtime.Roles;
import io.micronaut.security.authentication.Authentication;

/** The tenant a principal may see: a principal scoped to one tenant sees that tenant only. */
final class TenantScope {
  private TenantScope() {}

  /** The tenant to filter on: {@code requested} for an unscoped principal, else its own tenant. */
  static String of(Authentication who, String requested) {
    String scope = scope(who);
    if (scope == null) {
      return requested;
    }
    if (requested != null && !requested.equals(scope)) {
      throw new InvalidRequestException("tenant " + requested + " is outside this token's scope");
    }
    return scope;
  }

  /** True when {@code who} may see evidence of {@code tenant}. */
  static boolean allows(Authentication who, String tenant) {
    String scope = scope(who);
    return scope == null || scope.equals(tenant);
  }

  private static String scope(Authentication who) {
    Object scope = who.getAttributes().get(Roles.TENANT_ATTRIBUTE);
    return scope == null || "*".equals(scope) ? null : scope.toString();
  }
}

package dev.quartet.runtime;

import io.micronaut.security.authentication.Authentication;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TenantScopeTest {
  @Test
  void starPermitsEveryTenant() {
    Authentication admin = Authentication.build("admin", List.of(Roles.ADMIN), Map.of(Roles.TENANT_ATTRIBUTE, "*"));
    assertEquals("*", TenantScope.tenantOf(admin));
    assertTrue(TenantScope.permits(admin, "acme") && TenantScope.permits(admin, "globex"));
  }

  @Test
  void aTenantPermitsOnlyItself() {
    Authentication acme = Authentication.build("ci", List.of(Roles.SUBMITTER), Map.of(Roles.TENANT_ATTRIBUTE, "acme"));
    assertEquals("acme", TenantScope.tenantOf(acme));
    assertTrue(TenantScope.permits(acme, "acme"));
    assertFalse(TenantScope.permits(acme, "globex"));
    assertFalse(TenantScope.permits(acme, "*"), "a tenant token cannot ask for every tenant");
  }

  @Test
  void aPrincipalWithoutATenantPermitsNone() {
    Authentication none = Authentication.build("someone", List.of(Roles.SUBMITTER), Map.of());
    assertEquals("", TenantScope.tenantOf(none));
    assertFalse(TenantScope.permits(none, "acme"));
    assertFalse(TenantScope.permits(none, ""));
  }
}

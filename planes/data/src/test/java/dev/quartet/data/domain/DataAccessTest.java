package dev.quartet.data.domain;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataAccessTest {
  private final DataAccessPolicy policy = DataAccessPolicy.perClassification();

  @Test
  void eachDataRoleClearsReadAndWriteUpToItsClassificationAndNoFurther() {
    for (Classification role : Classification.values()) {
      for (Classification payload : Classification.values()) {
        boolean expected = payload.compareTo(role) <= 0;
        for (DataAccess access : DataAccess.values()) {
          assertEquals(expected, policy.allows(Set.of(DataRoles.clearing(role)), access, payload),
              DataRoles.clearing(role) + " " + access + " " + payload);
        }
      }
    }
  }

  @Test
  void platformAndDataAdminRightsClearNoPayload() {
    Set<String> admin = Set.of("ADMIN", "AUDITOR", "SUBMITTER", "APPROVER", "WORKER", DataRoles.DATA_ADMIN);
    for (Classification c : Classification.values()) {
      for (DataAccess access : DataAccess.values()) {
        assertFalse(policy.allows(admin, access, c), "control-plane roles cleared " + access + " " + c);
      }
    }
    assertFalse(policy.allows(Set.of(), DataAccess.READ, Classification.PUBLIC), "no roles");
  }

  @Test
  void anyRoleOfThePrincipalMayClear() {
    assertTrue(policy.allows(Set.of("ADMIN", DataRoles.DATA_RESTRICTED), DataAccess.WRITE, Classification.RESTRICTED));
    assertTrue(policy.allows(Set.of(DataRoles.DATA_PUBLIC, DataRoles.DATA_CONFIDENTIAL), DataAccess.READ,
        Classification.CONFIDENTIAL));
  }

  @Test
  void roleNamesAreTheAgreedStrings() {
    assertEquals("DATA_PUBLIC", DataRoles.clearing(Classification.PUBLIC));
    assertEquals("DATA_INTERNAL", DataRoles.DATA_INTERNAL);
    assertEquals("DATA_CONFIDENTIAL", DataRoles.clearing(Classification.CONFIDENTIAL));
    assertEquals("DATA_RESTRICTED", DataRoles.clearing(Classification.RESTRICTED));
  }

  @Test
  void aScopedCallerSeesOnlyItsOwnTenantsPayloads() {
    Caller acme = new Caller("alice", Set.of(), "acme", null);
    assertTrue(acme.sees("acme"));
    assertFalse(acme.sees("globex"), "another tenant's payload");
    assertFalse(acme.sees(null), "a payload of no tenant");
    Caller any = new Caller("admin", Set.of(), Caller.ANY_TENANT, null);
    assertTrue(any.sees("acme") && any.sees("globex") && any.sees(null), "an unscoped caller sees every payload");
  }

  @Test
  void aScopedCallerStoresForItsOwnTenantOnly() {
    Caller acme = new Caller("alice", Set.of(), "acme", null);
    assertEquals("acme", acme.owningTenant(null));
    assertEquals("acme", acme.owningTenant("acme"));
    assertThrows(IllegalArgumentException.class, () -> acme.owningTenant("globex"));
    Caller any = new Caller("admin", Set.of(), Caller.ANY_TENANT, null);
    assertNull(any.owningTenant(null), "an unscoped caller stores for no tenant unless it names one");
    assertEquals("globex", any.owningTenant("globex"));
  }

  @Test
  void tenantNamesAreRefusedUnlessPlain() {
    for (String bad : new String[] {"", "*x", "Acme", "a b", "../x", "x".repeat(64)}) {
      assertThrows(IllegalArgumentException.class, () -> new Caller("p", Set.of(), bad, null), bad);
    }
    assertEquals("system", Tenants.evidenceTenant(null));
    assertEquals("acme", Tenants.evidenceTenant("acme"));
  }
}

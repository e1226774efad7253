package dev.quartet.data.domain;

import dev.quartet.contracts.ConfigScope;

/** Tenant names as payloads record them. */
public final class Tenants {
  private Tenants() {}

  /**
   * {@code tenant}, refused when it is not a plain tenant name; null stays null (no tenant).
   *
   * @throws IllegalArgumentException naming the accepted form
   */
  public static String requireValidOrNull(String tenant) {
    if (tenant != null && !ConfigScope.NAME.matcher(tenant).matches()) {
      throw new IllegalArgumentException("tenant must be 1-63 lowercase letters, digits and -, was " + tenant);
    }
    return tenant;
  }

  /** The tenant evidence is recorded under for a payload owned by {@code owner}. */
  public static String evidenceTenant(String owner) {
    return owner == null ? Caller.SYSTEM_TENANT : owner;
  }
}

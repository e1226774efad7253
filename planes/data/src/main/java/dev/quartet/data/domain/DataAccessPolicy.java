package dev.quartet.data.domain;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Data access decided on its own, independently of control-plane rights: each role grants read
 * and write clearance up to a classification. A principal may act on a payload when any of its
 * roles clears the payload's classification for that access.
 */
public record DataAccessPolicy(Map<String, Clearance> grants) {
  /** The highest classification a role may read and may write; null means none. */
  public record Clearance(Classification read, Classification write) {
    /** Read and write everything. */
    public static Clearance all() {
      return new Clearance(Classification.RESTRICTED, Classification.RESTRICTED);
    }

    boolean allows(DataAccess access, Classification c) {
      Classification bound = access == DataAccess.READ ? read : write;
      return bound != null && c.compareTo(bound) <= 0;
    }
  }

  public DataAccessPolicy {
    grants = Map.copyOf(grants);
  }

  /** The agreed data roles: {@code DATA_<C>} clears read and write up to {@code C}; no other role clears anything. */
  public static DataAccessPolicy perClassification() {
    Map<String, Clearance> grants = new HashMap<>();
    for (Classification c : Classification.values()) {
      grants.put(DataRoles.clearing(c), new Clearance(c, c));
    }
    return new DataAccessPolicy(grants);
  }

  /** Whether a principal holding {@code roles} may perform {@code access} on a {@code c} payload. */
  public boolean allows(Collection<String> roles, DataAccess access, Classification c) {
    for (String role : roles) {
      Clearance clearance = grants.get(role);
      if (clearance != null && clearance.allows(access, c)) {
        return true;
      }
    }
    return false;
  }
}

package dev.quartet.data.domain;

import java.util.List;

/**
 * Role names of data access, decided independently of control-plane rights: {@code ADMIN} alone
 * clears no payload. A {@code DATA_<CLASSIFICATION>} role clears read and write of payloads up to
 * and including that classification.
 */
public final class DataRoles {
  /** Reads and writes PUBLIC payloads. */
  public static final String DATA_PUBLIC = "DATA_PUBLIC";
  /** Reads and writes PUBLIC and INTERNAL payloads. */
  public static final String DATA_INTERNAL = "DATA_INTERNAL";
  /** Reads and writes payloads up to CONFIDENTIAL. */
  public static final String DATA_CONFIDENTIAL = "DATA_CONFIDENTIAL";
  /** Reads and writes payloads of every classification. */
  public static final String DATA_RESTRICTED = "DATA_RESTRICTED";
  /** Administers the data plane (quarantine, keys); clears no payload content by itself. */
  public static final String DATA_ADMIN = "DATA_ADMIN";
  /** Every role name above. */
  public static final List<String> ALL = List.of(DATA_PUBLIC, DATA_INTERNAL, DATA_CONFIDENTIAL, DATA_RESTRICTED, DATA_ADMIN);

  private DataRoles() {}

  /** The role clearing read and write up to {@code c}. */
  public static String clearing(Classification c) {
    return "DATA_" + c.name();
  }
}

package dev.quartet.data.domain;

import java.util.Locale;

/** Data classification, ordered {@code PUBLIC < INTERNAL < CONFIDENTIAL < RESTRICTED}. */
public enum Classification {
  PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED;

  /** Whether payloads of this classification are encrypted at rest (SPEC: CONFIDENTIAL and up). */
  public boolean encryptedAtRest() {
    return compareTo(CONFIDENTIAL) >= 0;
  }

  /**
   * The classification named {@code name}, case-insensitively.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Classification parse(String name) {
    if (name != null) {
      for (Classification c : values()) {
        if (c.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
          return c;
        }
      }
    }
    throw new IllegalArgumentException("classification must be one of PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED, was " + name);
  }
}

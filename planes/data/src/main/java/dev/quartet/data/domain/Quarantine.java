package dev.quartet.data.domain;

import java.time.Instant;

/**
 * Why and when a payload was put in quarantine (it broke its route's rule), and whether a data
 * admin released it: a held payload is stored but served to nobody.
 */
public record Quarantine(String reason, Instant quarantinedAt, String releasedBy, Instant releasedAt) {
  public Quarantine {
    if (reason == null || reason.isBlank() || quarantinedAt == null) {
      throw new IllegalArgumentException("Quarantine: reason and quarantinedAt required");
    }
    if ((releasedBy == null) != (releasedAt == null)) {
      throw new IllegalArgumentException("Quarantine: releasedBy and releasedAt go together");
    }
  }

  /** A payload quarantined now, not released. */
  public static Quarantine held(String reason, Instant at) {
    return new Quarantine(reason, at, null, null);
  }

  /** Whether the payload is still held (not released). */
  public boolean holding() {
    return releasedAt == null;
  }
}

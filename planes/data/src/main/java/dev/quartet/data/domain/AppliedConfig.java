package dev.quartet.data.domain;

import dev.quartet.contracts.config.ConfigRoutes;
import dev.quartet.contracts.config.ConfigSnapshot;

import java.util.Objects;

/**
 * The verified config version the data plane applies for one scope: the snapshot, and its routes,
 * or, when its body's routes cannot be read, why ({@code routes} null): such a version is
 * applied by refusing uploads, never by falling back to looser rules.
 */
public record AppliedConfig(ConfigSnapshot snapshot, ConfigRoutes routes, String unusable) {
  public AppliedConfig {
    Objects.requireNonNull(snapshot, "AppliedConfig: snapshot");
    if ((routes == null) == (unusable == null)) {
      throw new IllegalArgumentException("AppliedConfig: exactly one of routes and unusable");
    }
  }

  /** {@code snapshot}, whose routes are read now. */
  public static AppliedConfig of(ConfigSnapshot snapshot) {
    try {
      return new AppliedConfig(snapshot, ConfigRoutes.of(snapshot), null);
    } catch (IllegalArgumentException e) {
      return new AppliedConfig(snapshot, null, e.getMessage());
    }
  }
}

package dev.quartet.contracts.config;

import dev.quartet.contracts.ConfigScope;

import java.util.Objects;
import java.util.Optional;

/**
 * The versions of one scope a follower has verified so far, as their tip: the next acceptable
 * version is tip + 1 whose parent is the tip's digest. Immutable; {@link #linked} gives the next.
 */
public record ConfigChain(ConfigScope scope, ConfigSnapshot tipOrNull) {
  /** @throws IllegalArgumentException if the tip belongs to another scope */
  public ConfigChain {
    Objects.requireNonNull(scope, "ConfigChain: scope");
    if (tipOrNull != null && !tipOrNull.scope().equals(scope)) {
      throw new IllegalArgumentException("ConfigChain: tip of " + tipOrNull.scope() + " in the chain of " + scope);
    }
  }

  /** A chain of {@code scope} with nothing verified yet. */
  public static ConfigChain start(ConfigScope scope) {
    return new ConfigChain(scope, null);
  }

  /** The newest verified version, if any. */
  public Optional<ConfigSnapshot> tip() {
    return Optional.ofNullable(tipOrNull);
  }

  /** The chain with {@code next} (verified by {@link SnapshotVerifier} as its next link) as tip. */
  public ConfigChain linked(ConfigSnapshot next) {
    return new ConfigChain(scope, next);
  }
}

package dev.quartet.control.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Lease tokens the control plane issues.
 *
 * @param keyFile the online lease key (PKCS#8 PEM) listed in the trust root's lease keys; unset →
 *     no tokens are issued (a token no worker can verify would be worse than none)
 * @param duration how long a token is valid (spec default 60 s)
 * @param refresh how often tokens are re-issued; well before they expire
 */
@ConfigurationProperties("quartet.control.lease")
public record LeaseSettings(@Nullable String keyFile, @NotNull Duration duration, @NotNull Duration refresh) {
  public LeaseSettings {
    if (refresh.compareTo(duration) >= 0) {
      throw new IllegalArgumentException("quartet.control.lease.refresh (" + refresh + ") must be shorter than duration (" + duration + ")");
    }
  }
}

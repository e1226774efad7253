package dev.quartet.contracts;

import java.util.regex.Pattern;

/**
 * A configuration scope, {@code tenant/environment}: versions are gapless per scope, and a
 * worker's config versions chain within one. Shared so the control plane and workers agree on
 * which scopes can exist.
 */
public record ConfigScope(String tenant, String environment) {
  /** A tenant or environment name: lowercase, digits and dashes, at most 63 characters. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** @throws IllegalArgumentException if a part is not such a name */
  public ConfigScope {
    if (tenant == null || !NAME.matcher(tenant).matches()) {
      throw new IllegalArgumentException("scope tenant must match " + NAME + ", was " + tenant);
    }
    if (environment == null || !NAME.matcher(environment).matches()) {
      throw new IllegalArgumentException("scope environment must match " + NAME + ", was " + environment);
    }
  }

  /** Parses {@code tenant/environment}. @throws IllegalArgumentException when malformed */
  public static ConfigScope parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("scope is required (tenant/environment)");
    }
    int slash = text.indexOf('/');
    if (slash < 0 || slash != text.lastIndexOf('/')) {
      throw new IllegalArgumentException("scope must be tenant/environment, was " + text);
    }
    return new ConfigScope(text.substring(0, slash), text.substring(slash + 1));
  }

  @Override
  public String toString() {
    return tenant + "/" + environment;
  }
}

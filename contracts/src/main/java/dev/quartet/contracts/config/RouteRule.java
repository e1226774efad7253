package dev.quartet.contracts.config;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One route of a signed config body ({@code body.routes[i]}): the classifications a payload on it
 * may have, its size limits (empty: the follower's default), and where its payloads may go
 * ({@code destinations}, empty when the route names none).
 */
public record RouteRule(String name, Set<String> classifications, OptionalLong maxInputBytes, OptionalLong maxTaskBytes,
                        List<String> destinations) {
  /** Route names: 1-128 of lowercase letters, digits and {@code . _ / -}, starting with a letter or digit. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,127}");
  /** The classification names a route may list (SPEC "Data"). */
  public static final Set<String> CLASSIFICATIONS = Set.of("PUBLIC", "INTERNAL", "CONFIDENTIAL", "RESTRICTED");

  /** @throws ConfigDocumentException when a part is out of shape */
  public RouteRule {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ConfigDocumentException("name", "must match " + NAME);
    }
    classifications = Set.copyOf(classifications);
    if (!CLASSIFICATIONS.containsAll(classifications)) {
      throw new ConfigDocumentException("classifications", "must be of " + CLASSIFICATIONS);
    }
    if (maxInputBytes == null || maxTaskBytes == null) {
      throw new ConfigDocumentException("maxInputBytes", "OptionalLong required (empty for none)");
    }
    destinations = List.copyOf(destinations);
  }

  /** Whether a payload of {@code classification} may travel on this route. */
  public boolean allows(String classification) {
    return classifications.contains(classification);
  }
}

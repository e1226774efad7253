package dev.quartet.contracts.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The routes of a signed config body, by name, and its egress allowlist
 * ({@code body.policies.egress.allow}). Parsed by each follower from the verified snapshot.
 */
public record ConfigRoutes(Map<String, RouteRule> byName, List<String> egressAllow) {
  public ConfigRoutes {
    byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    egressAllow = List.copyOf(egressAllow);
  }

  /**
   * The routes of {@code snapshot}'s body.
   *
   * @throws ConfigDocumentException naming the field path when {@code body.routes} is out of shape
   *     or names a route twice
   */
  public static ConfigRoutes of(ConfigSnapshot snapshot) {
    Map<String, RouteRule> routes = new LinkedHashMap<>();
    List<?> list = snapshot.body().get("routes") instanceof List<?> l ? l : null;
    if (list == null) {
      throw new ConfigDocumentException("body.routes", "is required and must be a list");
    }
    for (int i = 0; i < list.size(); i++) {
      String path = "body.routes[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> route)) {
        throw new ConfigDocumentException(path, "must be an object");
      }
      RouteRule rule;
      try {
        rule = new RouteRule(route.get("name") instanceof String s ? s : null, classifications(route.get("classifications")),
            size(route.get("maxInputBytes")), size(route.get("maxTaskBytes")), strings(route.get("destinations")));
      } catch (IllegalArgumentException e) {
        throw new ConfigDocumentException(path, e.getMessage());
      }
      if (routes.putIfAbsent(rule.name(), rule) != null) {
        throw new ConfigDocumentException(path + ".name", "route " + rule.name() + " is listed twice");
      }
    }
    Object egress = snapshot.policies().get("egress");
    List<String> allow;
    try {
      allow = egress instanceof Map<?, ?> e ? strings(e.get("allow")) : List.of();
    } catch (IllegalArgumentException e) {
      throw new ConfigDocumentException("body.policies.egress.allow", e.getMessage());
    }
    return new ConfigRoutes(routes, allow);
  }

  /** The route named {@code name}, if the config has one. */
  public Optional<RouteRule> route(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  private static Set<String> classifications(Object value) {
    if (!(value instanceof List<?> l) || !l.stream().allMatch(String.class::isInstance)) {
      throw new IllegalArgumentException("classifications must be a list of names");
    }
    Set<String> names = new LinkedHashSet<>();
    l.forEach(c -> names.add((String) c));
    return names;
  }

  private static OptionalLong size(Object value) {
    return value == null ? OptionalLong.empty() : OptionalLong.of(ByteSize.parse(value));
  }

  private static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> l) || !l.stream().allMatch(String.class::isInstance)) {
      throw new IllegalArgumentException("must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    l.forEach(s -> out.add((String) s));
    return out;
  }
}

package dev.quartet.data.domain;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.config.RouteRule;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The routes in force: the scopes followed (the first is the scope of payloads of no tenant), the
 * config applied for each so far, and whether the config topic has been read up to where it stood
 * at start ({@code caughtUp}); before that, followed scopes refuse uploads rather than apply rules
 * older than the ones in force. Pure and immutable; {@link #decide} is the route rule.
 */
public record RouteBook(List<ConfigScope> followed, Map<ConfigScope, AppliedConfig> applied, boolean caughtUp) {
  public RouteBook {
    followed = List.copyOf(followed);
    applied = Map.copyOf(applied);
  }

  /** A book that follows nothing: every upload is {@link RouteDecision.Unconfigured}. */
  public static RouteBook none() {
    return new RouteBook(List.of(), Map.of(), true);
  }

  /** This book with {@code config} applied for its scope. */
  public RouteBook with(AppliedConfig config) {
    var next = new HashMap<>(applied);
    next.put(config.snapshot().scope(), config);
    return new RouteBook(followed, next, caughtUp);
  }

  /** This book once the config topic has been read up to where it stood at start. */
  public RouteBook caughtUpNow() {
    return new RouteBook(followed, applied, true);
  }

  /** The scope a payload owned by {@code tenant} (null: no tenant) follows, if any. */
  public Optional<ConfigScope> scopeOf(String tenant) {
    if (tenant == null) {
      return followed.stream().findFirst();
    }
    return followed.stream().filter(s -> s.tenant().equals(tenant)).findFirst();
  }

  /**
   * What the applied config says of an upload of {@code classification} on {@code route} for
   * {@code tenant} at {@code now}: an unknown route or a classification the route does not allow
   * is quarantined; an expired or unreadable config refuses.
   */
  public RouteDecision decide(String tenant, String route, Classification classification, Instant now) {
    Optional<ConfigScope> scope = scopeOf(tenant);
    if (scope.isEmpty()) {
      return new RouteDecision.Unconfigured();
    }
    if (!caughtUp) {
      return new RouteDecision.Unavailable("the config of scope " + scope.get() + " is still being read");
    }
    AppliedConfig config = applied.get(scope.get());
    if (config == null) {
      return new RouteDecision.Unconfigured();
    }
    String ref = config.snapshot().reference();
    if (config.snapshot().isExpiredAt(now)) {
      return new RouteDecision.Unavailable("the applied config " + ref + " expired at " + config.snapshot().expiresAt()
          + "; no routes are in force until a newer version is published");
    }
    if (config.routes() == null) {
      return new RouteDecision.Unavailable("the routes of the applied config " + ref + " cannot be read: " + config.unusable());
    }
    Optional<RouteRule> rule = config.routes().route(route);
    if (rule.isEmpty()) {
      return new RouteDecision.Quarantine("route " + route + " is not in the applied config " + ref,
          OptionalLong.empty(), ref);
    }
    if (!rule.get().allows(classification.name())) {
      return new RouteDecision.Quarantine("classification " + classification + " is not allowed on route " + route
          + " (allowed: " + String.join(", ", new TreeSet<>(rule.get().classifications())) + ") by " + ref,
          rule.get().maxInputBytes(), ref);
    }
    return new RouteDecision.Allowed(route, rule.get().maxInputBytes(), ref);
  }
}

package dev.quartet.data.domain;

import java.util.OptionalLong;

/** What the applied config says about one upload's route, decided before any byte is read. */
public sealed interface RouteDecision {
  /** No config applies to the upload's scope: the plane's static limits, any route. */
  record Unconfigured() implements RouteDecision {}

  /** The route allows the classification; {@code maxInputBytes} empty: the plane's static limit. */
  record Allowed(String route, OptionalLong maxInputBytes, String configRef) implements RouteDecision {}

  /** The upload breaks its route's rule: it is stored into quarantine, readable by nobody until released. */
  record Quarantine(String reason, OptionalLong maxInputBytes, String configRef) implements RouteDecision {}

  /** The scope's applied config cannot be used (expired, routes unreadable): refuse rather than guess. */
  record Unavailable(String reason) implements RouteDecision {}
}

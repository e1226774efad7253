package dev.quartet.data.domain;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.config.ConfigSnapshot;
import dev.quartet.contracts.trust.CanonicalJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteBookTest {
  private static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
  private static final ConfigScope ACME = ConfigScope.parse("acme/dev");
  private static final ConfigScope DEFAULT = ConfigScope.parse("default/dev");

  @Test
  void withoutAnAppliedConfigEveryUploadFollowsTheStaticRules() {
    assertInstanceOf(RouteDecision.Unconfigured.class, RouteBook.none().decide(null, "default", Classification.RESTRICTED, NOW));
    RouteBook followedButEmpty = new RouteBook(List.of(DEFAULT), Map.of(), true);
    assertInstanceOf(RouteDecision.Unconfigured.class, followedButEmpty.decide(null, "x", Classification.PUBLIC, NOW));
  }

  @Test
  void allowsQuarantinesAndLimitsByTheRouteOfThePayloadsScope() {
    RouteBook book = new RouteBook(List.of(DEFAULT, ACME), Map.of(), true)
        .with(AppliedConfig.of(snapshot(DEFAULT, "2030-01-01T00:00:00Z", List.of("PUBLIC"))))
        .with(AppliedConfig.of(snapshot(ACME, "2030-01-01T00:00:00Z", List.of("PUBLIC", "RESTRICTED"))));
    var allowed = assertInstanceOf(RouteDecision.Allowed.class, book.decide(null, "default", Classification.PUBLIC, NOW));
    assertEquals(OptionalLong.of(1024), allowed.maxInputBytes());
    var wrongClass = assertInstanceOf(RouteDecision.Quarantine.class, book.decide(null, "default", Classification.RESTRICTED, NOW));
    assertTrue(wrongClass.reason().contains("RESTRICTED") && wrongClass.reason().contains("default/dev@v1"), wrongClass.reason());
    assertEquals(OptionalLong.of(1024), wrongClass.maxInputBytes(), "the route's limit still bounds what is quarantined");
    var unknown = assertInstanceOf(RouteDecision.Quarantine.class, book.decide(null, "other", Classification.PUBLIC, NOW));
    assertTrue(unknown.reason().contains("other"), unknown.reason());
    assertInstanceOf(RouteDecision.Allowed.class, book.decide("acme", "default", Classification.RESTRICTED, NOW),
        "acme follows its own scope");
    assertInstanceOf(RouteDecision.Unconfigured.class, book.decide("globex", "default", Classification.RESTRICTED, NOW),
        "a tenant whose scope is not followed");
  }

  @Test
  void untilTheConfigTopicIsReadFollowedScopesRefuse() {
    RouteBook loading = new RouteBook(List.of(DEFAULT), Map.of(), false);
    assertInstanceOf(RouteDecision.Unavailable.class, loading.decide(null, "default", Classification.PUBLIC, NOW));
    assertInstanceOf(RouteDecision.Unconfigured.class, loading.decide("globex", "default", Classification.PUBLIC, NOW),
        "a scope not followed is not waiting for anything");
    assertInstanceOf(RouteDecision.Unconfigured.class, loading.caughtUpNow().decide(null, "default", Classification.PUBLIC, NOW));
  }

  @Test
  void anExpiredOrUnreadableConfigRefusesRatherThanLoosening() {
    RouteBook expired = new RouteBook(List.of(DEFAULT), Map.of(), true)
        .with(AppliedConfig.of(snapshot(DEFAULT, "2026-01-01T00:00:00Z", List.of("PUBLIC"))));
    var u = assertInstanceOf(RouteDecision.Unavailable.class, expired.decide(null, "default", Classification.PUBLIC, NOW));
    assertTrue(u.reason().contains("expired"), u.reason());
    Map<String, Object> body = new HashMap<>();
    body.put("routes", "not a list");
    RouteBook unreadable = new RouteBook(List.of(DEFAULT), Map.of(), true).with(AppliedConfig.of(snapshot(DEFAULT, "2030-01-01T00:00:00Z", body)));
    assertInstanceOf(RouteDecision.Unavailable.class, unreadable.decide(null, "default", Classification.PUBLIC, NOW));
  }

  private static ConfigSnapshot snapshot(ConfigScope scope, String expiresAt, List<String> classifications) {
    Map<String, Object> body = new HashMap<>();
    body.put("routes", List.of(Map.of("name", "default", "classifications", classifications, "maxInputBytes", "1KiB")));
    return snapshot(scope, expiresAt, body);
  }

  private static ConfigSnapshot snapshot(ConfigScope scope, String expiresAt, Map<String, Object> body) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("scope", scope.toString());
    doc.put("version", 1);
    doc.put("parent", "");
    doc.put("expiresAt", expiresAt);
    doc.put("body", body);
    return ConfigSnapshot.fromSignedPayload(CanonicalJson.serialize(doc));
  }
}

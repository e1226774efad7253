package dev.quartet.contracts.config;

import dev.quartet.contracts.trust.CanonicalJson;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigRoutesTest {
  @Test
  void readsRoutesLimitsDestinationsAndEgress() {
    Map<String, Object> body = SnapshotVerifierTest.body("PUBLIC");
    body.put("routes", List.of(
        Map.of("name", "default", "classifications", List.of("PUBLIC", "RESTRICTED"), "maxInputBytes", "10MiB", "maxTaskBytes", "20MiB"),
        Map.of("name", "exports", "classifications", List.of("PUBLIC"), "maxInputBytes", 4096, "destinations", List.of("s3://out"))));
    ConfigRoutes routes = ConfigRoutes.of(snapshot(body));
    RouteRule d = routes.route("default").orElseThrow();
    assertEquals(Set.of("PUBLIC", "RESTRICTED"), d.classifications());
    assertEquals(OptionalLong.of(10L << 20), d.maxInputBytes());
    assertEquals(OptionalLong.of(20L << 20), d.maxTaskBytes());
    assertTrue(d.allows("RESTRICTED") && !d.allows("INTERNAL"));
    RouteRule e = routes.route("exports").orElseThrow();
    assertEquals(OptionalLong.of(4096), e.maxInputBytes());
    assertEquals(List.of("s3://out"), e.destinations());
    assertEquals(List.of("127.0.0.1:18080"), routes.egressAllow());
    assertTrue(routes.route("other").isEmpty());
  }

  @Test
  void refusesRoutesOutOfShapeNamingTheField() {
    for (Object routes : List.of(
        List.of(Map.of("name", "a", "classifications", List.of("SECRET"))),
        List.of(Map.of("name", "a", "classifications", List.of("PUBLIC"), "maxInputBytes", "10 MB")),
        List.of(Map.of("name", "a", "classifications", List.of("PUBLIC")), Map.of("name", "a", "classifications", List.of("PUBLIC"))),
        List.of(Map.of("name", "../x", "classifications", List.of("PUBLIC"))),
        "not a list")) {
      Map<String, Object> body = SnapshotVerifierTest.body("PUBLIC");
      body.put("routes", routes);
      var e = assertThrows(ConfigDocumentException.class, () -> ConfigRoutes.of(snapshot(body)), routes.toString());
      assertTrue(e.field().startsWith("body.routes"), e.getMessage());
    }
  }

  @Test
  void sizesUseBinaryUnits() {
    assertEquals(1, ByteSize.parse("1B"));
    assertEquals(512 * 1024, ByteSize.parse("512KiB"));
    assertEquals(3L << 30, ByteSize.parse("3GiB"));
    assertEquals(7, ByteSize.parse(7.0));
    assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("9999999999TiB"));
    assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(-1));
    assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("1MB"));
  }

  private static ConfigSnapshot snapshot(Map<String, Object> body) {
    Map<String, Object> doc = new HashMap<>(SnapshotVerifierTest.doc(1, "", "2030-01-01T00:00:00Z", body));
    return ConfigSnapshot.fromSignedPayload(CanonicalJson.serialize(doc));
  }
}

package dev.quartet.execution.domain;

import dev.quartet.contracts.trust.CanonicalJson;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigSnapshotTest {
  private static byte[] canonical(Map<String, Object> body) {
    return CanonicalJson.serialize(ConfigFixtures.doc("default/dev", 1, "", "2030-01-01T00:00:00Z", body));
  }

  @Test
  void readsTheDegradedModePolicyAndGrace() {
    ConfigSnapshot s = ConfigSnapshot.fromSignedPayload(canonical(ConfigFixtures.body("h:1")));
    assertEquals(new DegradedMode(DegradedPolicy.CONTINUE_CACHED, Duration.ofMinutes(10)), s.degradedMode());
    assertEquals(DegradedPolicy.READ_ONLY,
        ConfigSnapshot.fromSignedPayload(canonical(ConfigFixtures.body("h:1", "read-only", null))).degradedMode().policy());
  }

  @Test
  void continueCachedWithoutGraceIsMalformed() {
    var e = assertThrows(ConfigDocumentException.class,
        () -> ConfigSnapshot.fromSignedPayload(canonical(ConfigFixtures.body("h:1", "continue-cached", null))));
    assertEquals("body.degradedMode.grace", e.field());
  }

  @Test
  void anUnknownPolicyIsMalformed() {
    var e = assertThrows(ConfigDocumentException.class,
        () -> ConfigSnapshot.fromSignedPayload(canonical(ConfigFixtures.body("h:1", "yolo", "1m"))));
    assertEquals("body.degradedMode.policy", e.field());
  }

  @Test
  void aFractionalOrHugeVersionIsMalformed() {
    Map<String, Object> doc = ConfigFixtures.doc("default/dev", 1, "", "2030-01-01T00:00:00Z", ConfigFixtures.body("h:1"));
    doc.put("version", 1.5);
    assertEquals("version", assertThrows(ConfigDocumentException.class,
        () -> ConfigSnapshot.fromSignedPayload(CanonicalJson.serialize(doc))).field());
    doc.put("version", 1e300);
    assertEquals("version", assertThrows(ConfigDocumentException.class,
        () -> ConfigSnapshot.fromSignedPayload(CanonicalJson.serialize(doc))).field());
  }

  @Test
  void versionOneHasNoParentAndLaterVersionsHaveOne() {
    Map<String, Object> doc = ConfigFixtures.doc("default/dev", 2, "", "2030-01-01T00:00:00Z", ConfigFixtures.body("h:1"));
    assertEquals("parent", assertThrows(ConfigDocumentException.class,
        () -> ConfigSnapshot.fromSignedPayload(CanonicalJson.serialize(doc))).field());
  }

  @Test
  void parsesConfigDurations() {
    assertEquals(Duration.ofMillis(500), ConfigSnapshot.parseDuration("500ms"));
    assertEquals(Duration.ofDays(400), ConfigSnapshot.parseDuration("400d"));
    assertThrows(IllegalArgumentException.class, () -> ConfigSnapshot.parseDuration("10 m"));
  }
}

package dev.quartet.contracts.topics;

import dev.quartet.contracts.Plane;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicSpecTest {
  private static TopicSpec spec(String name, int partitions, int rf, String policy, Duration retention, int minIsr) {
    return new TopicSpec(name, partitions, (short) rf, policy, retention, minIsr, "test topic",
        Set.of(Plane.EXECUTION), Set.of(Plane.CONTROL));
  }

  @Test
  void negativeRetentionMeansForever() {
    TopicSpec t = spec("quartet.tasks.events", 12, 3, "delete", Duration.ofMillis(-1), 2);
    assertNull(t.retention());
    assertTrue(t.keptForever());
    assertEquals(Map.of("cleanup.policy", "delete", "retention.ms", "-1", "min.insync.replicas", "2"), t.configs());
  }

  @Test
  void configsCarryRetentionInMillis() {
    TopicSpec t = spec("quartet.payloads.records", 12, 3, "delete", Duration.ofDays(7), 2);
    assertEquals("604800000", t.configs().get("retention.ms"));
  }

  @Test
  void rejectsBadNames() {
    for (String bad : new String[] {"tasks.events", "quartet", "quartet.Tasks", "quartet..x", "quartet.a_b", "quartet.a-"}) {
      assertThrows(IllegalArgumentException.class, () -> spec(bad, 1, 1, "delete", null, 1), bad);
    }
  }

  @Test
  void rejectsMinIsrAboveReplicationFactor() {
    var e = assertThrows(IllegalArgumentException.class, () -> spec("quartet.a", 1, 1, "delete", null, 2));
    assertTrue(e.getMessage().contains("min.insync.replicas"), e.getMessage());
  }

  @Test
  void rejectsZeroPartitionsUnknownPolicyAndZeroRetention() {
    assertThrows(IllegalArgumentException.class, () -> spec("quartet.a", 0, 1, "delete", null, 1));
    assertThrows(IllegalArgumentException.class, () -> spec("quartet.a", 1, 1, "delete,compact", null, 1));
    assertThrows(IllegalArgumentException.class, () -> spec("quartet.a", 1, 1, "delete", Duration.ZERO, 1));
  }

  @Test
  void rejectsRetentionOnCompactOnlyTopic() {
    assertThrows(IllegalArgumentException.class, () -> spec("quartet.a", 1, 1, "compact", Duration.ofDays(1), 1));
  }

  @Test
  void rejectsNoWriterAndBlankPurpose() {
    assertThrows(IllegalArgumentException.class, () -> new TopicSpec("quartet.a", 1, (short) 1, "delete", null, 1,
        "p", Set.of(), Set.of()));
    assertThrows(IllegalArgumentException.class, () -> new TopicSpec("quartet.a", 1, (short) 1, "delete", null, 1,
        " ", Set.of(Plane.DATA), Set.of()));
  }

  @Test
  void planeSetsAreImmutableAndOrdered() {
    TopicSpec t = new TopicSpec("quartet.a", 1, (short) 1, "delete", null, 1, "p",
        Set.of(Plane.EVIDENCE, Plane.CONTROL), Set.of());
    assertEquals("[CONTROL, EVIDENCE]", t.writers().toString());
    assertThrows(UnsupportedOperationException.class, () -> t.readers().add(Plane.DATA));
  }

  @Test
  void driftReadsAsOneLine() {
    TopicDrift d = new TopicDrift("quartet.tasks.events", "partitions", "12", "3");
    assertEquals("topic quartet.tasks.events: partitions expected 12, actual 3", d.toString());
    assertThrows(IllegalArgumentException.class, () -> new TopicDrift("quartet.a", "partitions", "3", "3"));
  }
}

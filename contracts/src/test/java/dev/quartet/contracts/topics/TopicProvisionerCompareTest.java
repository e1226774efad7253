package dev.quartet.contracts.topics;

import dev.quartet.contracts.Plane;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TopicProvisionerCompareTest {
  private static final Node BROKER = new Node(1, "localhost", 9092);
  private final TopicSpec spec = new TopicSpec("quartet.tasks.events", 12, (short) 1, "delete", null, 1, "task events",
      Set.of(Plane.EXECUTION), Set.of(Plane.EXECUTION));

  private static TopicDescription described(int partitions) {
    List<TopicPartitionInfo> infos = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      infos.add(new TopicPartitionInfo(p, BROKER, List.of(BROKER), List.of(BROKER)));
    }
    return new TopicDescription("quartet.tasks.events", false, infos);
  }

  private static Config configs(String policy, String retentionMs, String minIsr) {
    return new Config(List.of(new ConfigEntry("cleanup.policy", policy), new ConfigEntry("retention.ms", retentionMs),
        new ConfigEntry("min.insync.replicas", minIsr)));
  }

  @Test
  void matchingTopicHasNoDrift() {
    assertEquals(List.of(), TopicProvisioner.compare(spec, described(12), configs("delete", "-1", "1")));
  }

  @Test
  void reportsEveryDifferingSetting() {
    List<String> drift = TopicProvisioner.compare(spec, described(3), configs("compact", "604800000", "2"))
        .stream().map(TopicDrift::toString).collect(Collectors.toList());
    assertEquals(List.of(
        "topic quartet.tasks.events: partitions expected 12, actual 3",
        "topic quartet.tasks.events: cleanup.policy expected delete, actual compact",
        "topic quartet.tasks.events: retention.ms expected -1, actual 604800000",
        "topic quartet.tasks.events: min.insync.replicas expected 1, actual 2"), drift);
  }

  @Test
  void cleanupPolicyOrderDoesNotMatter() {
    TopicSpec both = new TopicSpec("quartet.a", 1, (short) 1, "compact,delete", Duration.ofDays(1), 1, "p",
        Set.of(Plane.DATA), Set.of());
    TopicDescription d = new TopicDescription("quartet.a", false,
        List.of(new TopicPartitionInfo(0, BROKER, List.of(BROKER), List.of(BROKER))));
    assertEquals(List.of(), TopicProvisioner.compare(both, d, configs("delete, compact", "86400000", "1")));
  }

  @Test
  void reportsReplicationFactor() {
    TopicSpec rf3 = spec.withReplication((short) 3, 2);
    assertEquals(List.of(new TopicDrift("quartet.tasks.events", "replication.factor", "3", "1"),
            new TopicDrift("quartet.tasks.events", "min.insync.replicas", "2", "1")),
        TopicProvisioner.compare(rf3, described(12), configs("delete", "-1", "1")));
  }
}

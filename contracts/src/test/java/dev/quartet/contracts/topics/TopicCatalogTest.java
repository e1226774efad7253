package dev.quartet.contracts.topics;

import dev.quartet.contracts.Plane;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicCatalogTest {
  private final TopicCatalog production = TopicCatalog.production();

  @Test
  void productionTopicsAreReplicatedThreeTimesWithMinIsrTwo() {
    for (TopicSpec t : production.topics()) {
      assertEquals(3, t.replicationFactor(), t.name());
      assertEquals(2, t.minInsyncReplicas(), t.name());
    }
  }

  @Test
  void systemsOfRecordAreKeptForever() {
    for (String name : List.of(TopicCatalog.CONFIG_SNAPSHOTS, TopicCatalog.TASK_EVENTS, TopicCatalog.EVIDENCE_EVENTS,
        TopicCatalog.EVIDENCE_CHECKPOINTS)) {
      TopicSpec t = production.get(name);
      assertTrue(t.keptForever() && t.cleanupPolicy().equals("delete"), name + " must be delete + forever, was " + t);
    }
  }

  @Test
  void inlinePayloadsHaveBoundedRetentionAndLeaseTokensAreCompacted() {
    assertTrue(!production.get(TopicCatalog.PAYLOAD_RECORDS).keptForever());
    assertEquals("compact", production.get(TopicCatalog.CONFIG_LEASE_TOKENS).cleanupPolicy());
    assertEquals("quartet.deadletter", TopicCatalog.DEAD_LETTER);
  }

  @Test
  void everyPlaneWritesEvidence() {
    assertEquals(Set.of(Plane.values()), production.get(TopicCatalog.EVIDENCE_EVENTS).writers());
  }

  @Test
  void singleBrokerCatalogCapsReplicationOnly() {
    TopicCatalog single = TopicCatalog.forBrokers(1);
    assertEquals(production.topics().size(), single.topics().size());
    for (int i = 0; i < production.topics().size(); i++) {
      TopicSpec p = production.topics().get(i);
      TopicSpec s = single.topics().get(i);
      assertEquals(1, s.replicationFactor(), s.name());
      assertEquals(1, s.minInsyncReplicas(), s.name());
      assertEquals(p.withReplication((short) 1, 1), s);
    }
    // The production catalog itself is untouched.
    assertEquals(3, production.get(TopicCatalog.TASK_EVENTS).replicationFactor());
  }

  @Test
  void twoBrokersKeepOneSpareReplica() {
    TopicSpec t = TopicCatalog.forBrokers(2).get(TopicCatalog.TASK_EVENTS);
    assertEquals(2, t.replicationFactor());
    assertEquals(1, t.minInsyncReplicas());
  }

  @Test
  void threeOrMoreBrokersGetProduction() {
    assertEquals(production, TopicCatalog.forBrokers(3));
    assertEquals(production, TopicCatalog.forBrokers(7));
    assertSame(production, TopicCatalog.production());
    assertThrows(IllegalArgumentException.class, () -> TopicCatalog.forBrokers(0));
  }

  @Test
  void namesAreUniqueAndFollowTheConvention() {
    List<String> names = production.topics().stream().map(TopicSpec::name).collect(Collectors.toList());
    assertEquals(names.size(), Set.copyOf(names).size());
    assertThrows(IllegalArgumentException.class,
        () -> TopicCatalog.of(List.of(production.topics().get(0), production.topics().get(0))));
  }
}

package dev.quartet.harness;

import java.util.Map;

/** Broker settings that keep an embedded Kafka small on a 2-core machine. */
final class KafkaSmallFootprint {
  private KafkaSmallFootprint() {}

  /** Settings for one node: internal topics cannot be replicated further than it. */
  static Map<String, String> singleNode() {
    return Map.ofEntries(
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "5"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("transaction.state.log.num.partitions", "5"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        Map.entry("auto.create.topics.enable", "false"),
        Map.entry("num.partitions", "1"),
        Map.entry("num.network.threads", "2"),
        Map.entry("num.io.threads", "2"),
        Map.entry("background.threads", "2"),
        Map.entry("log.cleaner.threads", "1"),
        Map.entry("log.cleaner.dedupe.buffer.size", "8388608"),
        Map.entry("log.segment.bytes", "16777216"),
        Map.entry("log.index.size.max.bytes", "1048576"));
  }

  /** Settings for a three-broker cluster: RF 3 and min ISR 2, as production runs. */
  static Map<String, String> threeBrokers() {
    return Map.ofEntries(
        Map.entry("offsets.topic.replication.factor", "3"),
        Map.entry("offsets.topic.num.partitions", "5"),
        Map.entry("transaction.state.log.replication.factor", "3"),
        Map.entry("transaction.state.log.min.isr", "2"),
        Map.entry("transaction.state.log.num.partitions", "5"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        Map.entry("auto.create.topics.enable", "false"),
        Map.entry("num.network.threads", "2"),
        Map.entry("num.io.threads", "2"),
        Map.entry("background.threads", "2"),
        Map.entry("log.cleaner.threads", "1"),
        Map.entry("log.cleaner.dedupe.buffer.size", "8388608"),
        Map.entry("log.segment.bytes", "16777216"));
  }
}

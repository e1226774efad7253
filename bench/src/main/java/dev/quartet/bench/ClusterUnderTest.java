package dev.quartet.bench;

/** The broker(s) a run measured on, and the settings every bench topic had. */
public record ClusterUnderTest(boolean embedded, int brokers, int partitions, short replicationFactor,
                               int minInsyncReplicas) {
  /** What {@code ctx} is connected to. */
  public static ClusterUnderTest of(BenchContext ctx, boolean embedded) {
    return new ClusterUnderTest(embedded, ctx.brokerCount(), ctx.topicSpec().partitions(),
        ctx.topicSpec().replicationFactor(), ctx.topicSpec().minInsyncReplicas());
  }
}

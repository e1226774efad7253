package dev.quartet.harness;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real three-broker KRaft cluster (three separate controllers) in this JVM, for the
 * fault-tolerance tests: a test may stop one broker and start it again. Built on Kafka's own test
 * kit; the brokers stop gracefully (for kill -9, run brokers as processes).
 */
public final class ThreeBrokerCluster implements AutoCloseable {
  private final KafkaClusterTestKit kit;
  private boolean closed;

  private ThreeBrokerCluster(KafkaClusterTestKit kit) {
    this.kit = kit;
  }

  /** Formats and starts the cluster and waits until every broker is ready. */
  public static ThreeBrokerCluster start() {
    try {
      TestKitNodes nodes = new TestKitNodes.Builder()
          // Separate controllers: in combined mode stopping a broker hangs for minutes.
          .setCombined(false)
          .setNumControllerNodes(3)
          .setNumBrokerNodes(3)
          .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
          .build();
      var builder = new KafkaClusterTestKit.Builder(nodes);
      KafkaSmallFootprint.threeBrokers().forEach(builder::setConfigProp);
      KafkaClusterTestKit kit = builder.build();
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      return new ThreeBrokerCluster(kit);
    } catch (Exception e) {
      throw new IllegalStateException("three-broker Kafka cluster did not start", e);
    }
  }

  /** Bootstrap addresses of all three brokers. */
  public String bootstrapServers() {
    return kit.bootstrapServers();
  }

  /** Ids of the brokers, e.g. to pick one to stop. */
  public java.util.Set<Integer> brokerIds() {
    return kit.brokers().keySet();
  }

  /** Stops one broker gracefully and waits until it is down. */
  public void stopBroker(int id) {
    var broker = kit.brokers().get(id);
    broker.shutdown();
    broker.awaitShutdown();
  }

  /** Starts a broker stopped by {@link #stopBroker(int)} again. */
  public void startBroker(int id) {
    kit.brokers().get(id).startup();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return; // the kit throws when closed twice
    }
    closed = true;
    try {
      kit.close();
    } catch (Exception e) {
      throw new IllegalStateException("three-broker Kafka cluster did not stop cleanly", e);
    }
  }
}

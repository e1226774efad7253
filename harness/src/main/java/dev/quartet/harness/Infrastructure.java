package dev.quartet.harness;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The real Kafka and PostgreSQL an integration test runs against. Shared by every test of a
 * JVM: give each test its own topics, groups and schemas via {@link #unique(String)}.
 */
public final class Infrastructure implements AutoCloseable {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private final EmbeddedKafka kafka;
  private final EmbeddedDatabase database;
  private ThreeBrokerCluster cluster;

  Infrastructure(EmbeddedKafka kafka, EmbeddedDatabase database) {
    this.kafka = kafka;
    this.database = database;
  }

  /** Bootstrap address of the single-node broker. */
  public String kafkaBootstrap() {
    return kafka.bootstrapServers();
  }

  /** The embedded PostgreSQL. */
  public EmbeddedDatabase database() {
    return database;
  }

  /** JDBC URL of the test database. */
  public String jdbcUrl() {
    return database.jdbcUrl();
  }

  /** Superuser access, for provisioning roles and schemas in tests. */
  public DataSource superuser() {
    return database.superuser();
  }

  /**
   * The three-broker cluster, started on first request (it costs a few seconds and ≈350 MB),
   * shared by the JVM's tests; a test that stops a broker must start it again.
   */
  public synchronized ThreeBrokerCluster threeBrokerCluster() {
    if (cluster == null) {
      cluster = ThreeBrokerCluster.start();
    }
    return cluster;
  }

  /** A name no other test of this JVM uses, e.g. {@code unique("orders")} → {@code orders-7-1a2b3c4d}. */
  public String unique(String prefix) {
    return prefix + "-" + COUNTER.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public synchronized void close() {
    if (cluster != null) {
      cluster.close();
    }
    kafka.close();
    database.close();
  }
}

package dev.quartet.bench;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.harness.EmbeddedDatabase;
import dev.quartet.harness.FreePorts;
import dev.quartet.runtime.PlaneProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The evidence plane alone in this JVM, on its own embedded PostgreSQL and the bench's broker,
 * with a fresh consumer group and log origin, so a scenario measures the log from an empty start.
 */
final class EvidencePlaneUnderTest implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofMinutes(2);
  private final Path dir;
  private final EmbeddedDatabase db;
  private final PlaneProcess plane;
  private final String originPrefix;
  private Connection leafConnection;
  private PreparedStatement leafLookup;

  private EvidencePlaneUnderTest(Path dir, EmbeddedDatabase db, PlaneProcess plane, String originPrefix) {
    this.dir = dir;
    this.db = db;
    this.plane = plane;
    this.originPrefix = originPrefix;
  }

  /** Starts the plane; {@code overrides} replace its defaults (e.g. the checkpoint interval). */
  static EvidencePlaneUnderTest start(BenchContext ctx, String label, Map<String, Object> overrides) throws Exception {
    return start(ctx, label, overrides, false);
  }

  /**
   * Starts the plane, its log beginning at the evidence topic's current end when {@code fromTopicEnd}
   * (its consumer groups' offsets are set there first), so earlier scenarios' events are no backlog.
   */
  static EvidencePlaneUnderTest start(BenchContext ctx, String label, Map<String, Object> overrides, boolean fromTopicEnd)
      throws Exception {
    Path dir = Files.createTempDirectory("quartet-bench-" + label + "-");
    EmbeddedDatabase db = null;
    try {
      db = EmbeddedDatabase.start(dir.resolve("postgres"), 0, STARTUP);
      db.provisionOwner("quartet_evidence", "bench-evidence", "evidence");
      DevelopmentTrust.ensure(dir, Clock.systemUTC());
      String originPrefix = "bench.quartet.dev/" + ctx.uniqueId("log") + "/";
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("micronaut.server.host", "127.0.0.1");
      p.put("micronaut.server.port", FreePorts.any());
      p.put("quartet.kafka.bootstrap-servers", ctx.bootstrapServers());
      p.put("quartet.kafka.broker-count", ctx.brokerCount());
      p.put("quartet.security.admin-token", ctx.uniqueId("token"));
      p.put("datasources.evidence.url", db.jdbcUrl());
      p.put("datasources.evidence.username", "quartet_evidence");
      p.put("datasources.evidence.password", "bench-evidence");
      p.put("quartet.evidence.checkpoint.key-file", DevelopmentTrust.checkpointKeyFile(dir).toString());
      p.put("quartet.evidence.checkpoint.origin-prefix", originPrefix);
      String indexGroup = ctx.uniqueId(label);
      String livenessGroup = ctx.uniqueId(label + "-liveness");
      if (fromTopicEnd) {
        startAtTopicEnd(ctx, List.of(indexGroup, livenessGroup));
      }
      p.put("quartet.evidence.index.consumer-group", indexGroup);
      p.put("quartet.evidence.silence.consumer-group", livenessGroup);
      p.put("quartet.evidence-client.buffer-dir", dir.resolve("evidence-buffer").toString());
      p.putAll(overrides);
      return new EvidencePlaneUnderTest(dir, db, PlaneProcess.start(EnumSet.of(Plane.EVIDENCE), p), originPrefix);
    } catch (Exception | Error e) {
      if (db != null) {
        db.close();
      }
      TempFiles.deleteTree(dir);
      throw e;
    }
  }

  /** Commits the evidence topic's end offsets for {@code groups}, none of which has members yet. */
  private static void startAtTopicEnd(BenchContext ctx, List<String> groups) throws Exception {
    long timeout = ctx.settings().operationTimeout().toMillis();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.bootstrapServers()))) {
      if (!admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS).contains(TopicCatalog.EVIDENCE_EVENTS)) {
        return;  // the plane creates the topic: nothing on it to skip
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(List.of(TopicCatalog.EVIDENCE_EVENTS)).allTopicNames().get(timeout, TimeUnit.MILLISECONDS)
          .get(TopicCatalog.EVIDENCE_EVENTS).partitions()
          .forEach(p -> latest.put(new TopicPartition(TopicCatalog.EVIDENCE_EVENTS, p.partition()), OffsetSpec.latest()));
      Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
      admin.listOffsets(latest).all().get(timeout, TimeUnit.MILLISECONDS)
          .forEach((tp, info) -> ends.put(tp, new OffsetAndMetadata(info.offset())));
      for (String group : groups) {
        admin.alterConsumerGroupOffsets(group, ends).all().get(timeout, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** The C2SP origin of partition {@code p}'s log in this run. */
  String origin(int partition) {
    return originPrefix + partition;
  }

  /** Leaves in all partitions' trees. */
  long leaves() throws SQLException {
    return single("SELECT coalesce(sum(tree_size), 0) FROM evidence.log_tree");
  }

  /** Signed checkpoints stored so far. */
  long checkpoints() throws SQLException {
    return single("SELECT count(*) FROM evidence.log_checkpoint");
  }

  /**
   * The Kafka offset of leaf {@code leafIndex} of {@code partition}'s log, on one connection kept
   * for these lookups (a new one per lookup would delay the caller's measurements); one thread.
   */
  long offsetOfLeaf(int partition, long leafIndex) throws SQLException {
    if (leafLookup == null) {
      leafConnection = db.superuser().getConnection();
      leafLookup = leafConnection.prepareStatement(
          "SELECT source_offset FROM evidence.log_leaf WHERE log_partition = ? AND leaf_index = ?");
    }
    leafLookup.setInt(1, partition);
    leafLookup.setLong(2, leafIndex);
    try (ResultSet rs = leafLookup.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("leaf " + leafIndex + " of partition " + partition + " is not in the log");
      }
      return rs.getLong(1);
    }
  }

  private long single(String sql) throws SQLException {
    try (Connection c = db.superuser().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() {
    try {
      if (leafConnection != null) {
        leafConnection.close();
      }
    } catch (SQLException e) {
      // Only a lookup connection; the database goes below anyway.
    }
    try {
      plane.close();
    } finally {
      try {
        db.close();
      } finally {
        TempFiles.deleteTree(dir);
      }
    }
  }
}

package dev.quartet.control.store;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.DsseSignature;
import dev.quartet.control.domain.ConfigSnapshot;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.schemas.ConfigSnapshotPublished;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.UndecodableEventException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds {@code control.config_versions} from {@code quartet.config.snapshots}, the system of
 * record: in one database transaction that first locks the table (publishes wait), reads the topic
 * to its end (read_committed) and replaces every row. Readers see the old rows or the new ones.
 */
@Singleton
public class ConfigProjectionRebuild {
  private static final Logger log = LoggerFactory.getLogger(ConfigProjectionRebuild.class);
  private final DataSource dataSource;
  private final KafkaSettings kafka;
  private final EventCodec codec = EventCodec.standard();

  ConfigProjectionRebuild(@Named("control") DataSource dataSource, KafkaSettings kafka) {
    this.dataSource = dataSource;
    this.kafka = kafka;
  }

  /** What a rebuild read and wrote. */
  public record Outcome(long records, long rows, long skipped, long tookMillis) {}

  /**
   * Replaces the projection with what the topic holds, reading at most for {@code timeout}.
   *
   * @throws IllegalStateException when the topic could not be read to its end in time or the database refused
   */
  public Outcome rebuild(Duration timeout) {
    long started = System.nanoTime();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (Statement s = c.createStatement()) {
          // Publishes insert inside their own transaction: from here on they wait, so none is lost between read and replace.
          s.execute("LOCK TABLE config_versions IN EXCLUSIVE MODE");
        }
        List<ConsumerRecord<byte[], byte[]>> records = readToEnd(timeout, projectedVersions(c));
        long rows = 0;
        long skipped = 0;
        try (Statement s = c.createStatement()) {
          s.executeUpdate("DELETE FROM config_versions");
        }
        String sql = "INSERT INTO config_versions (scope, version, digest, parent, envelope, issued_at, expires_at, signers,"
            + " published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, version) DO NOTHING";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (ConsumerRecord<byte[], byte[]> r : records) {
            ConfigSnapshotPublished p;
            DsseEnvelope envelope;
            ConfigSnapshot snapshot;
            try {
              p = codec.decode(r.value(), ConfigSnapshotPublished.class);
              envelope = DsseEnvelope.fromJson(p.getEnvelope().array());
              snapshot = ConfigSnapshot.fromAcceptedPayload(envelope.payload());
            } catch (UndecodableEventException | RuntimeException e) {
              // The control plane writes only what it accepted; anything else on the topic is not a version.
              log.warn("Rebuild skips {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
              skipped++;
              continue;
            }
            ps.setString(1, snapshot.scope().toString());
            ps.setLong(2, snapshot.version());
            ps.setString(3, snapshot.digest());
            ps.setString(4, snapshot.parent());
            ps.setBytes(5, envelope.toJson());
            ps.setTimestamp(6, snapshot.issuedAt() == null ? null : Timestamp.from(snapshot.issuedAt()));
            ps.setTimestamp(7, Timestamp.from(snapshot.expiresAt()));
            // The key ids the envelope names: the control plane verified them when it accepted the version.
            ps.setString(8, envelope.signatures().stream().map(DsseSignature::keyid).sorted().collect(Collectors.joining(",")));
            ps.setTimestamp(9, new Timestamp(r.timestamp()));
            rows += ps.executeUpdate();
          }
        }
        c.commit();
        long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
        log.info("Config projection rebuilt from {} records: {} versions, {} skipped, in {} ms", records.size(), rows, skipped, took);
        return new Outcome(records.size(), rows, skipped, took);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the config projection could not be rebuilt: " + e.getMessage(), e);
    }
  }

  /** Scope and version of every row the projection holds now: the topic must hold each of them too. */
  private static Set<String> projectedVersions(Connection c) throws SQLException {
    Set<String> keys = new HashSet<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT scope, version FROM config_versions")) {
      while (rs.next()) {
        keys.add(rs.getString(1) + "@" + rs.getLong(2));
      }
    }
    return keys;
  }

  /**
   * Reads the topic to its last stable offset, again and again until it has read every version the
   * projection holds: a transaction's commit markers reach the partition just after the commit
   * returns, so a version published a moment ago may sit beyond the offset a first look sees.
   *
   * @throws IllegalStateException when that does not happen within {@code timeout}; replacing the
   *     rows then would drop versions, so the rebuild refuses
   */
  private List<ConsumerRecord<byte[], byte[]>> readToEnd(Duration timeout, Set<String> expected) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.CONFIG_SNAPSHOTS, timeout).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      Set<String> missing = new HashSet<>(expected);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        while (!partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp))) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the config topic was not read to its end within " + timeout);
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            out.add(r);
            versionOf(r).ifPresent(missing::remove);
          }
        }
        if (missing.isEmpty()) {
          return out;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the config topic lacks " + missing.size() + " versions the projection holds (e.g. "
              + missing.iterator().next() + ") after " + timeout + "; nothing was rebuilt");
        }
        consumer.poll(Duration.ofMillis(50)).forEach(r -> {
          out.add(r);
          versionOf(r).ifPresent(missing::remove);
        });
      }
    }
  }

  private Optional<String> versionOf(ConsumerRecord<byte[], byte[]> r) {
    try {
      ConfigSnapshotPublished p = codec.decode(r.value(), ConfigSnapshotPublished.class);
      return Optional.of(p.getScope() + "@" + p.getVersion());
    } catch (UndecodableEventException | RuntimeException e) {
      return Optional.empty();  // skipped (and logged) by the rebuild itself
    }
  }
}

package dev.quartet.evidence.store;

import dev.quartet.evidence.domain.EvidenceCheckpoint;
import dev.quartet.evidence.domain.PartitionCheckpoint;
import dev.quartet.evidence.domain.PartitionTree;
import dev.quartet.evidence.domain.merkle.CompactRange;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Signed checkpoints in PostgreSQL, kept forever, and the trees that have grown past their last one. */
@Singleton
public class CheckpointStore {
  private static final String COLUMNS = "log_partition, tree_size, origin, root_hash, signed_note, signed_at, published_at";
  private static final String TREES_AHEAD = """
      SELECT t.log_partition, t.compact_range, t.last_offset FROM log_tree t
      WHERE t.tree_size > COALESCE((SELECT max(c.tree_size) FROM log_checkpoint c WHERE c.log_partition = t.log_partition), 0)
      ORDER BY t.log_partition""";
  private static final String INSERT = """
      INSERT INTO log_checkpoint (log_partition, tree_size, origin, root_hash, signed_note, signed_at)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

  private final DataSource dataSource;

  CheckpointStore(@Named("evidence") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The committed logs that grew since their latest checkpoint (or never had one). */
  public List<PartitionTree> treesAheadOfCheckpoints() {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(TREES_AHEAD);
         ResultSet rs = ps.executeQuery()) {
      List<PartitionTree> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new PartitionTree(rs.getInt(1), CompactRange.fromBytes(rs.getBytes(2)), rs.getLong(3)));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the logs ahead of their checkpoints", e);
    }
  }

  /** Latest checkpointed size per partition that has a checkpoint. */
  public Map<Integer, Long> checkpointedSizes() {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT log_partition, max(tree_size) FROM log_checkpoint GROUP BY log_partition");
         ResultSet rs = ps.executeQuery()) {
      Map<Integer, Long> out = new HashMap<>();
      while (rs.next()) {
        out.put(rs.getInt(1), rs.getLong(2));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the checkpointed sizes", e);
    }
  }

  /**
   * Keeps a signed checkpoint; false when one of that partition and size exists already (another
   * instance signed the same tree: same size, same root, so nothing is lost).
   */
  public boolean insert(int partition, EvidenceCheckpoint checkpoint, Instant signedAt) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setInt(1, partition);
      ps.setLong(2, checkpoint.treeSize());
      ps.setString(3, checkpoint.origin());
      ps.setBytes(4, checkpoint.rootHash());
      ps.setString(5, checkpoint.signedNote());
      ps.setTimestamp(6, Timestamp.from(signedAt));
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store checkpoint " + checkpoint.origin() + " size " + checkpoint.treeSize(), e);
    }
  }

  /** Up to {@code limit} checkpoints not yet published, oldest first per partition, so witnesses see sizes grow. */
  public List<PartitionCheckpoint> unpublished(int limit) {
    return query("SELECT " + COLUMNS + " FROM log_checkpoint WHERE published_at IS NULL ORDER BY log_partition, tree_size LIMIT ?",
        limit);
  }

  /** Records that a checkpoint is on the checkpoints topic. */
  public void markPublished(int partition, long treeSize, Instant at) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement(
             "UPDATE log_checkpoint SET published_at = ? WHERE log_partition = ? AND tree_size = ? AND published_at IS NULL")) {
      ps.setTimestamp(1, Timestamp.from(at));
      ps.setInt(2, partition);
      ps.setLong(3, treeSize);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot mark checkpoint " + partition + "/" + treeSize + " published", e);
    }
  }

  /** The partition's latest checkpoint. */
  public Optional<PartitionCheckpoint> latest(int partition) {
    return query("SELECT " + COLUMNS + " FROM log_checkpoint WHERE log_partition = ? ORDER BY tree_size DESC LIMIT 1",
        partition).stream().findFirst();
  }

  /** The latest checkpoint of every partition that has one, by partition. */
  public List<PartitionCheckpoint> latestOfEach() {
    return query("SELECT DISTINCT ON (log_partition) " + COLUMNS
        + " FROM log_checkpoint ORDER BY log_partition, tree_size DESC");
  }

  /** The partition's checkpoint of exactly {@code treeSize} leaves. */
  public Optional<PartitionCheckpoint> at(int partition, long treeSize) {
    return query("SELECT " + COLUMNS + " FROM log_checkpoint WHERE log_partition = ? AND tree_size = ?",
        partition, treeSize).stream().findFirst();
  }

  /** The partition's smallest checkpoint that includes leaf {@code leafIndex}: the first one signed after it was appended. */
  public Optional<PartitionCheckpoint> firstCovering(int partition, long leafIndex) {
    return query("SELECT " + COLUMNS + " FROM log_checkpoint WHERE log_partition = ? AND tree_size > ? ORDER BY tree_size LIMIT 1",
        partition, leafIndex).stream().findFirst();
  }

  private List<PartitionCheckpoint> query(String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<PartitionCheckpoint> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read checkpoints", e);
    }
  }

  private static PartitionCheckpoint row(ResultSet rs) throws SQLException {
    Timestamp published = rs.getTimestamp("published_at");
    EvidenceCheckpoint cp = new EvidenceCheckpoint(rs.getString("origin"), rs.getLong("tree_size"),
        rs.getBytes("root_hash"), rs.getString("signed_note"));
    return new PartitionCheckpoint(rs.getInt("log_partition"), cp, rs.getTimestamp("signed_at").toInstant(),
        published == null ? null : published.toInstant());
  }
}

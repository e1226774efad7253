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

  /** A checkpoint of a partition's log, signed and about to be kept. */
  public record Signed(int partition, EvidenceCheckpoint checkpoint) {}

  /**
   * Keeps signed checkpoints, in one transaction; one of a partition and size that exists already
   * is skipped (another instance signed the same tree: same size, same root, so nothing is lost).
   */
  public void insertAll(List<Signed> signed, Instant signedAt) {
    if (signed.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (Signed s : signed) {
          ps.setInt(1, s.partition());
          ps.setLong(2, s.checkpoint().treeSize());
          ps.setString(3, s.checkpoint().origin());
          ps.setBytes(4, s.checkpoint().rootHash());
          ps.setString(5, s.checkpoint().signedNote());
          ps.setTimestamp(6, Timestamp.from(signedAt));
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store " + signed.size() + " checkpoints, first "
          + signed.get(0).checkpoint().origin() + " size " + signed.get(0).checkpoint().treeSize(), e);
    }
  }

  /** Up to {@code limit} checkpoints not yet published, oldest first per partition, so witnesses see sizes grow. */
  public List<PartitionCheckpoint> unpublished(int limit) {
    return query("SELECT " + COLUMNS + " FROM log_checkpoint WHERE published_at IS NULL ORDER BY log_partition, tree_size LIMIT ?",
        limit);
  }

  /** A checkpoint that reached the checkpoints topic, and when it was sent. */
  public record Published(int partition, long treeSize, Instant at) {}

  /** Records, in one transaction, that these checkpoints are on the checkpoints topic. */
  public void markPublished(List<Published> published) {
    if (published.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE log_checkpoint SET published_at = ? WHERE log_partition = ? AND tree_size = ? AND published_at IS NULL")) {
        for (Published p : published) {
          ps.setTimestamp(1, Timestamp.from(p.at()));
          ps.setInt(2, p.partition());
          ps.setLong(3, p.treeSize());
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot mark " + published.size() + " checkpoints published", e);
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

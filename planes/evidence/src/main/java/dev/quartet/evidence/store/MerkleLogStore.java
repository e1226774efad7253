package dev.quartet.evidence.store;

import dev.quartet.evidence.domain.EvidenceLeaf;
import dev.quartet.evidence.domain.IndexedEvidence;
import dev.quartet.evidence.domain.PartitionTree;
import dev.quartet.evidence.domain.Sequenced;
import dev.quartet.evidence.domain.merkle.CompactRange;
import dev.quartet.evidence.domain.merkle.LeafHashes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The Merkle log of every evidence partition in PostgreSQL: leaves and tree states, written in
 * one transaction with the index row, and the leaf hashes proofs are generated from.
 */
@Singleton
public class MerkleLogStore {
  private static final String LOCK_TREE =
      "SELECT compact_range, last_offset FROM log_tree WHERE log_partition = ? FOR UPDATE";
  private static final String CREATE_TREE = """
      INSERT INTO log_tree (log_partition, tree_size, last_offset, compact_range) VALUES (?, 0, -1, ?)
      ON CONFLICT DO NOTHING""";
  private static final String INSERT_LEAF =
      "INSERT INTO log_leaf (log_partition, leaf_index, source_offset, event_id, leaf_hash) VALUES (?, ?, ?, ?, ?)";
  private static final String UPDATE_TREE = """
      UPDATE log_tree SET tree_size = ?, last_offset = ?, compact_range = ?, updated_at = now()
      WHERE log_partition = ?""";
  // The first leaf of an event id: ids are unique by contract, but a producer that re-sends an
  // event at a new offset makes a second leaf (the log records the topic as it is).
  private static final String LEAF_OF_EVENT = """
      SELECT l.log_partition, l.leaf_index, l.source_offset, l.event_id, l.leaf_hash, i.tenant
      FROM log_leaf l LEFT JOIN evidence_index i ON i.event_id = l.event_id
      WHERE l.event_id = ? ORDER BY l.log_partition, l.leaf_index LIMIT 1""";

  private final DataSource dataSource;

  MerkleLogStore(@Named("evidence") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A leaf and the tenant its event is indexed under ({@code null} if the index lacks it). */
  public record LocatedLeaf(EvidenceLeaf leaf, String tenant) {}

  /** One decoded evidence record to sequence: its index row and the leaf hash of its exact bytes. */
  public record Pending(IndexedEvidence row, byte[] leafHash) {}

  /**
   * Sequences a batch of evidence records and indexes them, in one transaction: the trees of the
   * batch's partitions are locked in partition order, so concurrent indexers (a rebalance, a
   * zombie) serialize without deadlocking, and a record at or below a partition's last sequenced
   * offset is a replay that adds no leaf. The index insert is idempotent too. Records of one
   * partition must come in offset order (as a consumer delivers them).
   *
   * @return one decision per record, in the batch's order
   * @throws IllegalStateException when PostgreSQL fails; nothing of the batch is then written
   */
  public List<Sequenced> appendAll(List<Pending> batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Map<Integer, PartitionTree> trees = new TreeMap<>();
        batch.forEach(p -> trees.put(p.row().partition(), null));
        for (Integer partition : trees.keySet()) {
          trees.put(partition, lockTree(c, partition));
        }
        List<Sequenced> decisions = new ArrayList<>(batch.size());
        List<EvidenceLeaf> leaves = new ArrayList<>();
        List<IndexedEvidence> rows = new ArrayList<>(batch.size());
        for (Pending p : batch) {
          IndexedEvidence row = p.row();
          Sequenced decision = trees.get(row.partition()).sequence(row.offset(), row.id(), p.leafHash());
          if (decision instanceof Sequenced.Appended appended) {
            trees.put(row.partition(), appended.tree());
            leaves.add(appended.leaf());
          }
          decisions.add(decision);
          rows.add(row);
        }
        insertLeaves(c, leaves);
        updateTrees(c, leaves.stream().map(EvidenceLeaf::partition).collect(Collectors.toCollection(TreeSet::new))
            .stream().map(trees::get).toList());
        EvidenceIndexStore.insert(c, rows);
        c.commit();
        return decisions;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      IndexedEvidence first = batch.get(0).row();
      throw new IllegalStateException("cannot sequence " + batch.size() + " evidence records, first " + first.id()
          + " at " + first.topic() + "-" + first.partition() + "@" + first.offset(), e);
    }
  }

  /** The first leaf of event {@code eventId}, with its indexed tenant. */
  public Optional<LocatedLeaf> leafOf(String eventId) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LEAF_OF_EVENT)) {
      ps.setString(1, eventId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        EvidenceLeaf leaf = new EvidenceLeaf(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getBytes(5));
        return Optional.of(new LocatedLeaf(leaf, rs.getString(6)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot look up the leaf of evidence " + eventId, e);
    }
  }

  /**
   * Applies {@code use} to the partition's stored leaf hashes, read in blocks on one connection
   * that is held only for the call. The caller asks only for leaves below a committed size.
   */
  public <T> T withLeaves(int partition, int block, Function<LeafHashes, T> use) {
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(true);
      return use.apply(new StoredLeafHashes(c, partition, block));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the leaves of partition " + partition, e);
    }
  }

  private static PartitionTree lockTree(Connection c, int partition) throws SQLException {
    Optional<PartitionTree> locked = selectForUpdate(c, partition);
    if (locked.isPresent()) {
      return locked.get();
    }
    // First leaf of this partition: create its row (another indexer may race us; ON CONFLICT), then lock it.
    try (PreparedStatement ps = c.prepareStatement(CREATE_TREE)) {
      ps.setInt(1, partition);
      ps.setBytes(2, CompactRange.empty().toBytes());
      ps.executeUpdate();
    }
    return selectForUpdate(c, partition)
        .orElseThrow(() -> new IllegalStateException("log_tree row of partition " + partition + " vanished"));
  }

  private static Optional<PartitionTree> selectForUpdate(Connection c, int partition) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LOCK_TREE)) {
      ps.setInt(1, partition);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new PartitionTree(partition, CompactRange.fromBytes(rs.getBytes(1)), rs.getLong(2)));
      }
    }
  }

  private static void insertLeaves(Connection c, List<EvidenceLeaf> leaves) throws SQLException {
    if (leaves.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_LEAF)) {
      for (EvidenceLeaf leaf : leaves) {
        ps.setInt(1, leaf.partition());
        ps.setLong(2, leaf.leafIndex());
        ps.setLong(3, leaf.offset());
        ps.setString(4, leaf.eventId());
        ps.setBytes(5, leaf.leafHash());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void updateTrees(Connection c, List<PartitionTree> grown) throws SQLException {
    if (grown.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(UPDATE_TREE)) {
      for (PartitionTree next : grown) {
        ps.setLong(1, next.size());
        ps.setLong(2, next.lastOffset());
        ps.setBytes(3, next.range().toBytes());
        ps.setInt(4, next.partition());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}

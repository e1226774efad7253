package dev.quartet.evidence.store;

import dev.quartet.evidence.domain.merkle.LeafHashes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Leaf hashes of one partition read from {@code log_leaf} in blocks of consecutive leaves. Proof
 * generation walks disjoint leaf ranges in order, so one cached block makes it about n/block
 * queries with memory bounded by the block; still O(n) reads per proof until interior nodes are
 * stored. Used on one thread, for the life of its connection.
 */
final class StoredLeafHashes implements LeafHashes {
  private static final String BLOCK = """
      SELECT leaf_index, leaf_hash FROM log_leaf WHERE log_partition = ? AND leaf_index >= ?
      ORDER BY leaf_index LIMIT ?""";

  private final Connection connection;
  private final int partition;
  private final byte[][] cache;
  private long cacheStart = -1;
  private int cached;

  StoredLeafHashes(Connection connection, int partition, int block) {
    this.connection = connection;
    this.partition = partition;
    this.cache = new byte[block][];
  }

  @Override
  public byte[] hash(long index) {
    if (cacheStart < 0 || index < cacheStart || index >= cacheStart + cached) {
      load(index);
    }
    return cache[(int) (index - cacheStart)].clone();
  }

  private void load(long from) {
    try (PreparedStatement ps = connection.prepareStatement(BLOCK)) {
      ps.setInt(1, partition);
      ps.setLong(2, from);
      ps.setInt(3, cache.length);
      cached = 0;
      cacheStart = from;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long index = rs.getLong(1);
          // Leaf indices are dense by construction; a hole means the log was tampered with or lost rows.
          if (index != from + cached) {
            throw new IllegalStateException("log_leaf of partition " + partition + " has no leaf " + (from + cached));
          }
          cache[cached++] = rs.getBytes(2);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read leaves of partition " + partition + " from " + from, e);
    }
    if (cached == 0) {
      throw new IllegalStateException("log_leaf of partition " + partition + " has no leaf " + from);
    }
  }
}

package dev.quartet.evidence.store;

import dev.quartet.evidence.domain.EvidenceQuery;
import dev.quartet.evidence.domain.IndexedEvidence;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The evidence index in PostgreSQL: idempotent inserts by event id, paged range queries. */
@Singleton
public class EvidenceIndexStore {
  private static final String INSERT = """
      INSERT INTO evidence_index (event_id, type, tenant, correlation_id, execution_id, producer_plane,
                                  producer_version, outcome, occurred_at, source_topic, source_partition, source_offset)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING""";
  private static final String COLUMNS = """
      seq, event_id, type, tenant, correlation_id, execution_id, producer_plane, producer_version, outcome,
      occurred_at, source_topic, source_partition, source_offset""";

  private final DataSource dataSource;

  EvidenceIndexStore(@Named("evidence") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Indexes a batch in one transaction. Replays are harmless: an event already indexed (same id
   * or same log position) is skipped, so a restart that re-reads uncommitted offsets adds nothing.
   */
  public void insertAll(List<IndexedEvidence> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        insert(c, batch);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot index " + batch.size() + " evidence events, first "
          + batch.get(0).topic() + "-" + batch.get(0).partition() + "@" + batch.get(0).offset(), e);
    }
  }

  /** Adds {@code batch} to the index within the caller's transaction on {@code c}, skipping events already indexed. */
  static void insert(Connection c, List<IndexedEvidence> batch) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (IndexedEvidence e : batch) {
        ps.setString(1, e.id());
        ps.setString(2, e.type());
        ps.setString(3, e.tenant());
        ps.setString(4, e.correlationId());
        ps.setString(5, e.executionId());
        ps.setString(6, e.producerPlane());
        ps.setString(7, e.producerVersion());
        ps.setString(8, e.outcome());
        ps.setTimestamp(9, Timestamp.from(e.occurredAt()));
        ps.setString(10, e.topic());
        ps.setInt(11, e.partition());
        ps.setLong(12, e.offset());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** One page of events matching {@code q}, in index order. */
  public List<IndexedEvidence> find(EvidenceQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM evidence_index WHERE seq > ?");
    List<Object> args = new ArrayList<>();
    args.add(q.afterSeq());
    if (q.from() != null) {
      sql.append(" AND occurred_at >= ?");
      args.add(Timestamp.from(q.from()));
    }
    if (q.to() != null) {
      sql.append(" AND occurred_at <= ?");
      args.add(Timestamp.from(q.to()));
    }
    appendEquals(sql, args, "correlation_id", q.correlationId());
    appendEquals(sql, args, "execution_id", q.executionId());
    appendEquals(sql, args, "type", q.type());
    appendEquals(sql, args, "tenant", q.tenant());
    sql.append(" ORDER BY seq LIMIT ?");
    args.add(q.limit());
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<IndexedEvidence> page = new ArrayList<>();
        while (rs.next()) {
          page.add(row(rs));
        }
        return page;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("evidence query failed: " + q, e);
    }
  }

  /** The highest sequence indexed so far, 0 when empty; a tail starts after it. */
  public long lastSeq() {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM evidence_index");
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the evidence index head", e);
    }
  }

  private static void appendEquals(StringBuilder sql, List<Object> args, String column, String value) {
    if (value != null) {
      sql.append(" AND ").append(column).append(" = ?");
      args.add(value);
    }
  }

  private static IndexedEvidence row(ResultSet rs) throws SQLException {
    return new IndexedEvidence(rs.getLong("seq"), rs.getString("event_id"), rs.getString("type"),
        rs.getString("tenant"), rs.getString("correlation_id"), rs.getString("execution_id"),
        rs.getString("producer_plane"), rs.getString("producer_version"), rs.getString("outcome"),
        rs.getTimestamp("occurred_at").toInstant(), rs.getString("source_topic"),
        rs.getInt("source_partition"), rs.getLong("source_offset"));
  }
}

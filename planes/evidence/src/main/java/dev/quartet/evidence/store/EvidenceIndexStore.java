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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The evidence index in PostgreSQL: idempotent inserts by event id, paged range queries. */
@Singleton
public class EvidenceIndexStore {
  private static final String INSERT = """
      INSERT INTO evidence_index (event_id, type, tenant, correlation_id, execution_id, producer_plane,
                                  producer_version, outcome, occurred_at, source_topic, source_partition, source_offset,
                                  corrects)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING""";
  // Corrections point back at what they correct; "corrected by" is that link read the other way.
  private static final String COLUMNS = """
      i.seq, i.event_id, i.type, i.tenant, i.correlation_id, i.execution_id, i.producer_plane, i.producer_version,
      i.outcome, i.occurred_at, i.source_topic, i.source_partition, i.source_offset, i.corrects,
      ARRAY(SELECT c.event_id FROM evidence_index c WHERE c.corrects = i.event_id ORDER BY c.seq) AS corrected_by""";

  // Same selection in both statements (oldest first, bounded), so openings go with their rows.
  private static final String EXPIRED = """
      SELECT event_id FROM evidence_index WHERE occurred_at < ? ORDER BY occurred_at, seq LIMIT ?""";
  private static final String DELETE_EXPIRED_OPENINGS =
      "DELETE FROM redaction_opening WHERE event_id IN (" + EXPIRED + ")";
  private static final String DELETE_EXPIRED = "DELETE FROM evidence_index WHERE event_id IN (" + EXPIRED + ")";

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
        ps.setString(13, e.corrects());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** One page of events matching {@code q}, in index order. */
  public List<IndexedEvidence> find(EvidenceQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM evidence_index i WHERE i.seq > ?");
    List<Object> args = new ArrayList<>();
    args.add(q.afterSeq());
    if (q.from() != null) {
      sql.append(" AND i.occurred_at >= ?");
      args.add(Timestamp.from(q.from()));
    }
    if (q.to() != null) {
      sql.append(" AND i.occurred_at <= ?");
      args.add(Timestamp.from(q.to()));
    }
    appendEquals(sql, args, "i.correlation_id", q.correlationId());
    appendEquals(sql, args, "i.execution_id", q.executionId());
    appendEquals(sql, args, "i.type", q.type());
    appendEquals(sql, args, "i.tenant", q.tenant());
    sql.append(" ORDER BY i.seq LIMIT ?");
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

  /** The indexed event {@code eventId}, empty when it is not (or no longer) indexed. */
  public Optional<IndexedEvidence> byId(String eventId) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM evidence_index i WHERE i.event_id = ?")) {
      ps.setString(1, eventId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot look up evidence " + eventId, e);
    }
  }

  /**
   * Deletes up to {@code limit} index rows (event bodies) of events that occurred before
   * {@code cutoff}, oldest first, with their redaction openings; leaves and checkpoints stay, so
   * proofs of every remaining event (and of the deleted ones' leaf hashes) still verify.
   *
   * @return how many rows were deleted
   */
  public int deleteOccurredBefore(Instant cutoff, int limit) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement openings = c.prepareStatement(DELETE_EXPIRED_OPENINGS);
           PreparedStatement rows = c.prepareStatement(DELETE_EXPIRED)) {
        openings.setTimestamp(1, Timestamp.from(cutoff));
        openings.setInt(2, limit);
        openings.executeUpdate();
        rows.setTimestamp(1, Timestamp.from(cutoff));
        rows.setInt(2, limit);
        int deleted = rows.executeUpdate();
        c.commit();
        return deleted;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot delete evidence bodies older than " + cutoff, e);
    }
  }

  /** How many events the index holds. */
  public long count() {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM evidence_index");
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count the evidence index", e);
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
        rs.getInt("source_partition"), rs.getLong("source_offset"), rs.getString("corrects"),
        List.of((String[]) rs.getArray("corrected_by").getArray()));
  }
}

package dev.quartet.data.store;

import dev.quartet.data.domain.BlobKey;
import dev.quartet.data.domain.Classification;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.PayloadLocation;
import dev.quartet.data.domain.Sha256;
import dev.quartet.data.domain.StoredPayload;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Optional;
import javax.sql.DataSource;

/** The payload index in PostgreSQL ({@code data.payloads}): one row per stored payload. */
@Singleton
public class PayloadIndex {
  private static final String INSERT = """
      INSERT INTO payloads (id, sha256, size, classification, route, key_id, record_topic, record_partition,
                            record_offset, blob_key, stored_by, stored_at, tenant)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String SELECT = """
      SELECT id, sha256, size, classification, route, key_id, record_topic, record_partition, record_offset,
             blob_key, stored_by, stored_at, tenant
      FROM payloads WHERE id = ?""";

  private final DataSource dataSource;

  PayloadIndex(@Named("data") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Inserts the row and runs {@code beforeCommit} (publishing the payload's events) before the
   * transaction commits: when publishing fails, the row is rolled back and the payload stays
   * unreferenced.
   */
  public void insert(StoredPayload p, Runnable beforeCommit) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        ps.setObject(1, p.id().uuid());
        ps.setString(2, p.sha256().hex());
        ps.setLong(3, p.size());
        ps.setString(4, p.classification().name());
        ps.setString(5, p.route());
        ps.setString(6, p.keyId());
        if (p.location() instanceof PayloadLocation.InlineRecord r) {
          ps.setString(7, r.topic());
          ps.setInt(8, r.partition());
          ps.setLong(9, r.offset());
          ps.setNull(10, Types.VARCHAR);
        } else {
          ps.setNull(7, Types.VARCHAR);
          ps.setNull(8, Types.INTEGER);
          ps.setNull(9, Types.BIGINT);
          ps.setString(10, p.location().uri());
        }
        ps.setString(11, p.storedBy());
        ps.setTimestamp(12, Timestamp.from(p.storedAt()));
        ps.setString(13, p.tenant());
        ps.executeUpdate();
        beforeCommit.run();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot index payload " + p.id() + " sha256=" + p.sha256(), e);
    }
  }

  /** The payload with this id, if indexed. */
  public Optional<StoredPayload> find(PayloadId id) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
      ps.setObject(1, id.uuid());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read payload " + id + " from the index", e);
    }
  }

  private static StoredPayload row(ResultSet rs) throws SQLException {
    String blob = rs.getString("blob_key");
    PayloadLocation location = blob != null
        ? new PayloadLocation.Blob(BlobKey.parse(blob))
        : new PayloadLocation.InlineRecord(rs.getString("record_topic"), rs.getInt("record_partition"),
            rs.getLong("record_offset"));
    return new StoredPayload(new PayloadId(rs.getObject("id", java.util.UUID.class)), new Sha256(rs.getString("sha256")),
        rs.getLong("size"), Classification.valueOf(rs.getString("classification")), rs.getString("route"), location,
        rs.getString("key_id"), rs.getString("tenant"), rs.getString("stored_by"), rs.getTimestamp("stored_at").toInstant());
  }
}

package dev.quartet.data.store;

import dev.quartet.data.domain.Classification;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.Sha256;
import dev.quartet.data.domain.UploadSlot;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Upload slots in PostgreSQL ({@code data.upload_slots}); claiming one is atomic across replicas. */
@Singleton
public class UploadSlotStore {
  private static final String INSERT = """
      INSERT INTO upload_slots (id, classification, route, tenant, expected_sha256, max_bytes, issued_by, issued_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String SELECT = """
      SELECT id, classification, route, tenant, expected_sha256, max_bytes, issued_by, expires_at
      FROM upload_slots WHERE id = ?""";
  private final DataSource dataSource;

  UploadSlotStore(@Named("data") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Records a new, unclaimed slot issued at {@code issuedAt}. */
  public void insert(UploadSlot s, Instant issuedAt) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setObject(1, s.id());
      ps.setString(2, s.classification().name());
      ps.setString(3, s.route());
      ps.setString(4, s.tenant());
      ps.setString(5, s.expectedSha256() == null ? null : s.expectedSha256().hex());
      ps.setLong(6, s.maxBytes());
      ps.setString(7, s.issuedBy());
      ps.setTimestamp(8, Timestamp.from(issuedAt));
      ps.setTimestamp(9, Timestamp.from(s.expiresAt()));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record upload slot " + s.id(), e);
    }
  }

  /** The slot with this id, if issued. */
  public Optional<UploadSlot> find(UUID id) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String sha = rs.getString("expected_sha256");
        return Optional.of(new UploadSlot(rs.getObject("id", UUID.class), Classification.valueOf(rs.getString("classification")),
            rs.getString("route"), rs.getString("tenant"), sha == null ? null : new Sha256(sha), rs.getLong("max_bytes"),
            rs.getString("issued_by"), rs.getTimestamp("expires_at").toInstant()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read upload slot " + id, e);
    }
  }

  /** Claims the slot for one upload at {@code now}; false when it is already claimed or used. */
  public boolean claim(UUID id, Instant now) {
    return update("UPDATE upload_slots SET claimed_at = ? WHERE id = ? AND claimed_at IS NULL", id, Timestamp.from(now)) == 1;
  }

  /** Gives a claimed slot back after a failed upload, so it may be tried again before it expires. */
  public void release(UUID id) {
    update("UPDATE upload_slots SET claimed_at = NULL WHERE id = ? AND payload_id IS NULL", id, null);
  }

  /** Marks the slot used by payload {@code p}: it takes no further upload. */
  public void complete(UUID id, PayloadId p) {
    update("UPDATE upload_slots SET payload_id = ? WHERE id = ?", id, p.uuid());
  }

  private int update(String sql, UUID id, Object first) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (first != null) {
        ps.setObject(i++, first);
      }
      ps.setObject(i, id);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot update upload slot " + id, e);
    }
  }
}

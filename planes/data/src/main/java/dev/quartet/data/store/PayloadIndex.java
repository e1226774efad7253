package dev.quartet.data.store;

import dev.quartet.data.domain.BlobKey;
import dev.quartet.data.domain.Classification;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.PayloadLocation;
import dev.quartet.data.domain.PayloadRetention;
import dev.quartet.data.domain.Quarantine;
import dev.quartet.data.domain.Sha256;
import dev.quartet.data.domain.StoredPayload;
import dev.quartet.data.domain.crypto.WrappedDataKey;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.UUID;
import javax.sql.DataSource;

/** The payload index in PostgreSQL ({@code data.payloads}): one row per stored payload. */
@Singleton
public class PayloadIndex {
  private static final String INSERT = """
      INSERT INTO payloads (id, sha256, size, classification, route, key_id, record_topic, record_partition,
                            record_offset, blob_key, stored_by, stored_at, tenant, quarantine_reason, quarantined_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
  private static final String SELECT_COLUMNS = """
      SELECT id, sha256, size, classification, route, key_id, record_topic, record_partition, record_offset,
             blob_key, stored_by, stored_at, tenant, quarantine_reason, quarantined_at, released_by, released_at""";
  // A retired payload is served to nobody: every read of live payloads leaves it out.
  private static final String SELECT = SELECT_COLUMNS + " FROM payloads WHERE id = ? AND retired_at IS NULL";

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
        if (p.location() instanceof PayloadLocation.Blob) {
          // Until this row commits, retention may not remove the blob it references (releaseBlob).
          lockBlob(c, p.location().uri(), true);
        }
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
        ps.setString(14, p.quarantine() == null ? null : p.quarantine().reason());
        ps.setTimestamp(15, p.quarantine() == null ? null : Timestamp.from(p.quarantine().quarantinedAt()));
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

  /** A payload retired by retention: who owned it, when it went and under which config version. */
  public record Retired(String tenant, Instant retiredAt, String config) {}

  /** What one retirement transaction did: the payloads it retired and the blobs no live payload references any more. */
  public record Retirement(List<StoredPayload> retired, Set<BlobKey> releasedBlobs) {
    public Retirement {
      retired = List.copyOf(retired);
      releasedBlobs = Set.copyOf(releasedBlobs);
    }
  }

  /** The payload with this id, if indexed and not retired. */
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

  /** How payload {@code id} was retired, if it was. */
  public Optional<Retired> retired(PayloadId id) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT tenant, retired_at, retired_config FROM payloads WHERE id = ? AND retired_at IS NOT NULL")) {
      ps.setObject(1, id.uuid());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Retired(rs.getString("tenant"), rs.getTimestamp("retired_at").toInstant(), rs.getString("retired_config")))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the retirement of payload " + id, e);
    }
  }

  /**
   * Up to {@code limit} live payloads stored at or before {@code cutoff}, oldest first, owned by one
   * of {@code tenants} or, when {@code withoutTenant}, by no tenant.
   */
  public List<StoredPayload> storedUpTo(Instant cutoff, List<String> tenants, boolean withoutTenant, int limit) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT_COLUMNS
        + " FROM payloads WHERE retired_at IS NULL AND stored_at <= ? AND (tenant = ANY (?) OR (? AND tenant IS NULL))"
        + " ORDER BY stored_at, id LIMIT ?")) {
      ps.setTimestamp(1, Timestamp.from(cutoff));
      ps.setArray(2, c.createArrayOf("text", tenants.toArray()));
      ps.setBoolean(3, withoutTenant);
      ps.setInt(4, limit);
      return rows(ps);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list the payloads stored up to " + cutoff, e);
    }
  }

  /**
   * Retires those of {@code candidates} not retired yet, under config {@code config}, and runs
   * {@code beforeCommit} (their evidence) with what it did before the transaction commits: when it
   * fails, nothing is retired. The blobs it reports released are for the caller to remove after.
   */
  public Retirement retire(List<StoredPayload> candidates, String config, Instant at, Consumer<Retirement> beforeCommit) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Set<UUID> ids = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("UPDATE payloads SET retired_at = ?, retired_config = ? "
            + "WHERE id = ANY (?) AND retired_at IS NULL RETURNING id")) {
          ps.setTimestamp(1, Timestamp.from(at));
          ps.setString(2, config);
          ps.setArray(3, c.createArrayOf("uuid", candidates.stream().map(p -> p.id().uuid()).toArray()));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getObject(1, UUID.class));
            }
          }
        }
        // Another replica's sweep may have retired some first: only ours are reported.
        List<StoredPayload> retired = candidates.stream().filter(p -> ids.contains(p.id().uuid())).toList();
        Set<BlobKey> stillReferenced = new HashSet<>();
        List<String> blobKeys = retired.stream().filter(p -> p.location() instanceof PayloadLocation.Blob)
            .map(p -> p.location().uri()).distinct().toList();
        if (!blobKeys.isEmpty()) {
          try (PreparedStatement ps = c.prepareStatement(
              "SELECT DISTINCT blob_key FROM payloads WHERE blob_key = ANY (?) AND retired_at IS NULL")) {
            ps.setArray(1, c.createArrayOf("text", blobKeys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                stillReferenced.add(BlobKey.parse(rs.getString(1)));
              }
            }
          }
        }
        Retirement retirement = new Retirement(retired, PayloadRetention.releasedBlobs(retired, stillReferenced));
        beforeCommit.accept(retirement);
        c.commit();
        return retirement;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot retire " + candidates.size() + " payload(s) under " + config, e);
    }
  }

  /**
   * Runs {@code remove} (removing blob {@code key} from the store) if no live payload references
   * it, serialized against every upload committing a reference to it ({@link #insert} holds the
   * same lock, shared, until its row commits), so a blob is never removed under a new reference.
   *
   * @return whether {@code remove} ran and removed it (false: referenced, so kept, or already gone)
   */
  public boolean releaseBlob(BlobKey key, BooleanSupplier remove) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        lockBlob(c, key.uri(), false);
        boolean referenced;
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT 1 FROM payloads WHERE blob_key = ? AND retired_at IS NULL LIMIT 1")) {
          ps.setString(1, key.uri());
          try (ResultSet rs = ps.executeQuery()) {
            referenced = rs.next();
          }
        }
        boolean removed = !referenced && remove.getAsBoolean();
        c.commit();
        return removed;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot check the references of blob " + key.uri(), e);
    }
  }

  private static void lockBlob(Connection c, String blobUri, boolean shared) throws SQLException {
    // A transaction-scoped advisory lock per blob key (hash collisions only serialize more).
    try (PreparedStatement ps = c.prepareStatement(shared ? "SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0))"
        : "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
      ps.setString(1, blobUri);
      ps.executeQuery().close();
    }
  }

  /** Up to {@code limit} payloads held in quarantine, oldest first. */
  public List<StoredPayload> quarantined(int limit) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT_COLUMNS
        + " FROM payloads WHERE quarantined_at IS NOT NULL AND released_at IS NULL AND retired_at IS NULL ORDER BY quarantined_at, id LIMIT ?")) {
      ps.setInt(1, limit);
      return rows(ps);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list the quarantined payloads", e);
    }
  }

  /**
   * Releases payload {@code id} from quarantine, running {@code beforeCommit} (its evidence) before
   * the release commits.
   *
   * @return false when it is not held (never quarantined, or released already)
   */
  public boolean release(PayloadId id, String releasedBy, Instant at, Runnable beforeCommit) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("UPDATE payloads SET released_by = ?, released_at = ? "
          + "WHERE id = ? AND quarantined_at IS NOT NULL AND released_at IS NULL")) {
        ps.setString(1, releasedBy);
        ps.setTimestamp(2, Timestamp.from(at));
        ps.setObject(3, id.uuid());
        if (ps.executeUpdate() != 1) {
          c.rollback();
          return false;
        }
        beforeCommit.run();
        c.commit();
        return true;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot release payload " + id + " from quarantine", e);
    }
  }

  /** The re-wrap of payload {@code id}'s data key, when a KEK rotation made one. */
  public Optional<WrappedDataKey> rewrappedKey(PayloadId id) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT key_id, data_key_nonce, data_key_wrapped FROM payloads WHERE id = ?")) {
      ps.setObject(1, id.uuid());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getBytes("data_key_wrapped") == null) {
          return Optional.empty();
        }
        return Optional.of(new WrappedDataKey(rs.getString("key_id"), rs.getBytes("data_key_nonce"), rs.getBytes("data_key_wrapped")));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the data key of payload " + id, e);
    }
  }

  /** Up to {@code limit} payloads whose data key one of {@code keyIds} wraps, by id after {@code after}. */
  public List<StoredPayload> wrappedBy(List<String> keyIds, UUID after, int limit) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT_COLUMNS
        + " FROM payloads WHERE key_id = ANY (?) AND id > ? AND retired_at IS NULL ORDER BY id LIMIT ?")) {
      ps.setArray(1, c.createArrayOf("text", keyIds.toArray()));
      ps.setObject(2, after);
      ps.setInt(3, limit);
      return rows(ps);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list the payloads wrapped by " + keyIds, e);
    }
  }

  /**
   * Records payload {@code id}'s data key as re-wrapped by {@code wrapped.keyId()}, if it is still
   * wrapped by {@code expectedKeyId}: one small row update, the content is not touched.
   *
   * @return false when another rotation re-wrapped it first
   */
  public boolean rewrap(PayloadId id, String expectedKeyId, WrappedDataKey wrapped, Instant at) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE payloads SET key_id = ?, data_key_nonce = ?, data_key_wrapped = ?, rewrapped_at = ? WHERE id = ? AND key_id = ?")) {
      ps.setString(1, wrapped.keyId());
      ps.setBytes(2, wrapped.nonce());
      ps.setBytes(3, wrapped.wrapped());
      ps.setTimestamp(4, Timestamp.from(at));
      ps.setObject(5, id.uuid());
      ps.setString(6, expectedKeyId);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record the re-wrapped data key of payload " + id, e);
    }
  }

  /** How many payloads still need key {@code keyId} to unwrap their data key. */
  public long countWrappedBy(String keyId) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM payloads WHERE key_id = ? AND retired_at IS NULL")) {
      ps.setString(1, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count the payloads wrapped by " + keyId, e);
    }
  }

  /** Every payload {@code ps} selects ({@link #SELECT_COLUMNS}), in its order. */
  private static List<StoredPayload> rows(PreparedStatement ps) throws SQLException {
    List<StoredPayload> found = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        found.add(row(rs));
      }
    }
    return found;
  }

  private static StoredPayload row(ResultSet rs) throws SQLException {
    String blob = rs.getString("blob_key");
    PayloadLocation location = blob != null
        ? new PayloadLocation.Blob(BlobKey.parse(blob))
        : new PayloadLocation.InlineRecord(rs.getString("record_topic"), rs.getInt("record_partition"),
            rs.getLong("record_offset"));
    return new StoredPayload(new PayloadId(rs.getObject("id", java.util.UUID.class)), new Sha256(rs.getString("sha256")),
        rs.getLong("size"), Classification.valueOf(rs.getString("classification")), rs.getString("route"), location,
        rs.getString("key_id"), rs.getString("tenant"), rs.getString("stored_by"), rs.getTimestamp("stored_at").toInstant(),
        quarantine(rs));
  }

  private static Quarantine quarantine(ResultSet rs) throws SQLException {
    String reason = rs.getString("quarantine_reason");
    if (reason == null) {
      return null;
    }
    Timestamp released = rs.getTimestamp("released_at");
    return new Quarantine(reason, rs.getTimestamp("quarantined_at").toInstant(), rs.getString("released_by"),
        released == null ? null : released.toInstant());
  }
}

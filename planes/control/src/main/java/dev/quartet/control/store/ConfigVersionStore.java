package dev.quartet.control.store;

import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.control.domain.ConfigHead;
import dev.quartet.contracts.ConfigScope;
import dev.quartet.control.domain.ConfigSnapshot;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Accepted configuration versions in PostgreSQL (the control plane's query model). */
@Singleton
public class ConfigVersionStore {
  private static final String UNIQUE_VIOLATION = "23505";
  private final DataSource dataSource;

  ConfigVersionStore(@Named("control") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A stored version with its envelope, as the API shows it. */
  public record StoredVersion(ConfigSnapshot snapshot, DsseEnvelope envelope, String signers, java.time.Instant publishedAt) {}

  /** Thrown when another publish already holds this scope and version. */
  public static final class VersionTaken extends Exception {
    VersionTaken(String message) {
      super(message);
    }
  }

  /** The scope's newest version, if any. */
  public Optional<ConfigHead> head(ConfigScope scope) {
    return find(scope, null).map(v -> new ConfigHead(v.snapshot()));
  }

  /** One version, or the newest when {@code version} is null. */
  public Optional<StoredVersion> find(ConfigScope scope, Long version) {
    String sql = "SELECT envelope, signers, published_at FROM config_versions WHERE scope = ?"
        + (version == null ? " ORDER BY version DESC LIMIT 1" : " AND version = ?");
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, scope.toString());
      if (version != null) {
        ps.setLong(2, version);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read config versions of " + scope, e);
    }
  }

  /** The head of every scope. */
  public List<ConfigHead> heads() {
    String sql = "SELECT DISTINCT ON (scope) envelope, signers, published_at FROM config_versions ORDER BY scope, version DESC";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
         ResultSet rs = ps.executeQuery()) {
      List<ConfigHead> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new ConfigHead(row(rs).snapshot()));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read config heads", e);
    }
  }

  /** Versions of a scope, newest first. */
  public List<StoredVersion> history(ConfigScope scope, int limit) {
    String sql = "SELECT envelope, signers, published_at FROM config_versions WHERE scope = ? ORDER BY version DESC LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, scope.toString());
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<StoredVersion> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read config history of " + scope, e);
    }
  }

  /**
   * Inserts an accepted version and runs {@code beforeCommit} (the Kafka write) inside the same
   * transaction: the row is visible only if the write succeeded, and of two racing publishes of
   * one version the second waits on the key and then fails with {@link VersionTaken}.
   */
  public void insert(ConfigSnapshot s, DsseEnvelope envelope, String signers, Runnable beforeCommit) throws VersionTaken {
    String sql = "INSERT INTO config_versions (scope, version, digest, parent, envelope, issued_at, expires_at, signers)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, s.scope().toString());
        ps.setLong(2, s.version());
        ps.setString(3, s.digest());
        ps.setString(4, s.parent());
        ps.setBytes(5, envelope.toJson());
        ps.setTimestamp(6, s.issuedAt() == null ? null : Timestamp.from(s.issuedAt()));
        ps.setTimestamp(7, Timestamp.from(s.expiresAt()));
        ps.setString(8, signers);
        ps.executeUpdate();
        beforeCommit.run();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        if (e instanceof SQLException sql2 && UNIQUE_VIOLATION.equals(sql2.getSQLState())) {
          throw new VersionTaken("version " + s.version() + " of " + s.scope() + " was published concurrently");
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store config version " + s, e);
    }
  }

  private static StoredVersion row(ResultSet rs) throws SQLException {
    DsseEnvelope envelope = DsseEnvelope.fromJson(rs.getBytes("envelope"));
    return new StoredVersion(ConfigSnapshot.fromAcceptedPayload(envelope.payload()), envelope, rs.getString("signers"),
        rs.getTimestamp("published_at").toInstant());
  }
}

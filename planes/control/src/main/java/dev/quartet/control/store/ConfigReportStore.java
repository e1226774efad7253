package dev.quartet.control.store;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.control.domain.ConfigReport;
import dev.quartet.control.domain.WorkerConfigStatus;
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

/**
 * The {@code config_reports} table: each worker's newest ACK and newest NACK per scope. Upserts
 * are guarded by the report's own time, so a redelivered older report never hides a newer one.
 */
@Singleton
public class ConfigReportStore {
  private final DataSource dataSource;

  ConfigReportStore(@Named("control") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Records an ACK or a NACK. */
  public void record(ConfigReport report) {
    String sql;
    if (report instanceof ConfigReport.Applied) {
      sql = "INSERT INTO config_reports (worker_id, scope, applied_version, applied_digest, applied_at) VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT (worker_id, scope) DO UPDATE SET applied_version = EXCLUDED.applied_version,"
          + " applied_digest = EXCLUDED.applied_digest, applied_at = EXCLUDED.applied_at"
          + " WHERE config_reports.applied_at IS NULL OR config_reports.applied_at <= EXCLUDED.applied_at";
    } else {
      sql = "INSERT INTO config_reports (worker_id, scope, refused_version, refused_digest, refused_at, refused_reason)"
          + " VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (worker_id, scope) DO UPDATE SET refused_version = EXCLUDED.refused_version,"
          + " refused_digest = EXCLUDED.refused_digest, refused_at = EXCLUDED.refused_at, refused_reason = EXCLUDED.refused_reason"
          + " WHERE config_reports.refused_at IS NULL OR config_reports.refused_at <= EXCLUDED.refused_at";
    }
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, report.workerId());
      ps.setString(2, report.scope().toString());
      if (report instanceof ConfigReport.Applied a) {
        ps.setLong(3, a.version());
        ps.setString(4, a.digest());
        ps.setTimestamp(5, Timestamp.from(a.at()));
      } else if (report instanceof ConfigReport.Refused r) {
        ps.setLong(3, r.version());
        ps.setString(4, r.digest());
        ps.setTimestamp(5, Timestamp.from(r.at()));
        ps.setString(6, r.reason());
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store a config report of worker " + report.workerId(), e);
    }
  }

  /**
   * Every worker that reported on {@code scope} or serves one of its queues, ordered by id, at most {@code limit}.
   */
  public List<WorkerConfigStatus> status(ConfigScope scope, int limit) {
    String sql = "SELECT COALESCE(r.worker_id, w.id) AS worker, r.applied_version, r.applied_digest, r.applied_at,"
        + " r.refused_version, r.refused_digest, r.refused_reason, r.refused_at, w.id IS NOT NULL AS registered, "
        + WorkerRegistryStore.COLUMNS
        + " FROM (SELECT * FROM config_reports WHERE scope = ?) r"
        + " FULL OUTER JOIN (SELECT * FROM workers WHERE queue LIKE ?) w ON w.id = r.worker_id"
        + " ORDER BY worker LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, scope.toString());
      // Scope names hold only [a-z0-9-]: no LIKE wildcard can hide in them.
      ps.setString(2, scope + "/%");
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<WorkerConfigStatus> out = new ArrayList<>();
        while (rs.next()) {
          String worker = rs.getString("worker");
          Long applied = (Long) rs.getObject("applied_version");
          Long refused = (Long) rs.getObject("refused_version");
          out.add(new WorkerConfigStatus(worker,
              rs.getBoolean("registered") ? WorkerRegistryStore.summary(rs) : null,
              applied == null ? null : new ConfigReport.Applied(worker, scope, applied, rs.getString("applied_digest"),
                  rs.getTimestamp("applied_at").toInstant()),
              refused == null ? null : new ConfigReport.Refused(worker, scope, refused, rs.getString("refused_digest"),
                  rs.getString("refused_reason"), rs.getTimestamp("refused_at").toInstant())));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the config status of " + scope, e);
    }
  }
}

package dev.quartet.control.store;

import dev.quartet.control.domain.WorkerBeat;
import dev.quartet.control.domain.WorkerRegistration;
import dev.quartet.control.domain.WorkerSummary;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The {@code workers} table: the newest registration and heartbeat of every worker. Writes are
 * idempotent upserts guarded by the worker's own timestamps, so a redelivered older record never
 * overwrites a newer one.
 */
@Singleton
public class WorkerRegistryStore {
  static final String COLUMNS = "w.id, w.queue, w.label_keys, w.label_values, w.capacity, w.reported_state, w.task_count,"
      + " w.applied_config_version, w.applied_config_digest, w.registered_at, w.last_heartbeat_at, w.last_seen_at";
  private final DataSource dataSource;

  WorkerRegistryStore(@Named("control") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Records a registration consumed at {@code seenAt} (control-plane clock). */
  public void register(WorkerRegistration r, Instant seenAt) {
    String sql = "INSERT INTO workers (id, queue, label_keys, label_values, capacity, registered_at, last_seen_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (id) DO UPDATE SET queue = EXCLUDED.queue, label_keys = EXCLUDED.label_keys,"
        + " label_values = EXCLUDED.label_values, capacity = EXCLUDED.capacity, registered_at = EXCLUDED.registered_at,"
        + " last_seen_at = GREATEST(workers.last_seen_at, EXCLUDED.last_seen_at)"
        + " WHERE workers.registered_at IS NULL OR workers.registered_at <= EXCLUDED.registered_at";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, r.id());
      ps.setString(2, r.queue());
      ps.setArray(3, c.createArrayOf("text", r.labels().keySet().toArray()));
      ps.setArray(4, c.createArrayOf("text", r.labels().values().toArray()));
      ps.setInt(5, r.capacity());
      ps.setTimestamp(6, Timestamp.from(r.registeredAt()));
      ps.setTimestamp(7, Timestamp.from(seenAt));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store the registration of worker " + r.id(), e);
    }
  }

  /** Records a heartbeat consumed at {@code seenAt}; a full one also updates capacity and applied config. */
  public void heartbeat(WorkerBeat b, Instant seenAt) {
    String full = b.full()
        ? " capacity = COALESCE(EXCLUDED.capacity, workers.capacity), applied_config_version = EXCLUDED.applied_config_version,"
            + " applied_config_digest = EXCLUDED.applied_config_digest,"
        : "";
    String sql = "INSERT INTO workers (id, reported_state, task_count, capacity, applied_config_version, applied_config_digest,"
        + " last_heartbeat_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        + " ON CONFLICT (id) DO UPDATE SET reported_state = EXCLUDED.reported_state, task_count = EXCLUDED.task_count," + full
        + " last_heartbeat_at = EXCLUDED.last_heartbeat_at, last_seen_at = GREATEST(workers.last_seen_at, EXCLUDED.last_seen_at)"
        + " WHERE workers.last_heartbeat_at IS NULL OR workers.last_heartbeat_at <= EXCLUDED.last_heartbeat_at";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, b.workerId());
      ps.setString(2, b.state());
      ps.setInt(3, b.taskCount());
      setNullable(ps, 4, b.full() ? b.capacity() : null, Types.INTEGER);
      setNullable(ps, 5, b.full() ? b.appliedConfigVersion() : null, Types.BIGINT);
      ps.setString(6, b.full() ? b.appliedConfigDigest() : null);
      ps.setTimestamp(7, Timestamp.from(b.sentAt()));
      ps.setTimestamp(8, Timestamp.from(seenAt));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store a heartbeat of worker " + b.workerId(), e);
    }
  }

  /**
   * Workers ordered by queue and id, at most {@code limit}.
   *
   * @param tenant only queues of this tenant; null for every worker, including those whose queue is not known yet
   * @param queue only this queue, or the queues under this {@code tenant} or {@code tenant/environment} prefix; null for all
   */
  public List<WorkerSummary> list(String tenant, String queue, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM workers w WHERE TRUE");
    List<String> args = new ArrayList<>();
    if (tenant != null) {
      sql.append(" AND split_part(w.queue, '/', 1) = ?");
      args.add(tenant);
    }
    if (queue != null) {
      // Names hold only [a-z0-9-], so a prefix needs no LIKE escaping; the caller validated it.
      sql.append(" AND (w.queue = ? OR w.queue LIKE ?)");
      args.add(queue);
      args.add(queue + "/%");
    }
    sql.append(" ORDER BY w.queue NULLS FIRST, w.id LIMIT ?");
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      for (String a : args) {
        ps.setString(i++, a);
      }
      ps.setInt(i, limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<WorkerSummary> out = new ArrayList<>();
        while (rs.next()) {
          out.add(summary(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list workers", e);
    }
  }

  /** Reads the {@link #COLUMNS} of one row. */
  static WorkerSummary summary(ResultSet rs) throws SQLException {
    String[] keys = strings(rs.getArray("label_keys"));
    String[] values = strings(rs.getArray("label_values"));
    TreeMap<String, String> labels = new TreeMap<>();
    for (int i = 0; i < Math.min(keys.length, values.length); i++) {
      labels.put(keys[i], values[i]);
    }
    return new WorkerSummary(rs.getString("id"), rs.getString("queue"), labels, (Integer) rs.getObject("capacity"),
        rs.getString("reported_state"), (Integer) rs.getObject("task_count"), (Long) rs.getObject("applied_config_version"),
        rs.getString("applied_config_digest"), instant(rs.getTimestamp("registered_at")),
        instant(rs.getTimestamp("last_heartbeat_at")), rs.getTimestamp("last_seen_at").toInstant());
  }

  private static String[] strings(Array array) throws SQLException {
    return array == null ? new String[0] : (String[]) array.getArray();
  }

  static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  static void setNullable(PreparedStatement ps, int index, Number value, int type) throws SQLException {
    if (value == null) {
      ps.setNull(index, type);
    } else {
      ps.setObject(index, value, type);
    }
  }
}

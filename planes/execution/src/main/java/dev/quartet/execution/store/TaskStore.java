package dev.quartet.execution.store;

import dev.quartet.execution.domain.TaskLifecycle;
import dev.quartet.schemas.TaskState;
import dev.quartet.schemas.TaskStateChanged;
import dev.quartet.schemas.TaskSubmitted;
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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The execution plane's PostgreSQL projection of tasks: what {@code task get|list|watch} read.
 * Writes are idempotent per Kafka record so the projection can be rebuilt by re-reading the topics.
 */
@Singleton
public class TaskStore {
  private static final String COLUMNS = "task_id, tenant, queue, type, classification, evidence_required, idempotency_key,"
      + " submitted_by, correlation_id, replay_of, labels, params, input_ref, input_sha256, input_size, state, attempt,"
      + " lease_epoch, worker_id, config_version, config_digest, reason, output_ref, output_sha256, output_size,"
      + " submitted_at, updated_at";
  private final DataSource dataSource;

  TaskStore(@Named("execution") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The task with {@code tenant}'s idempotency key, if one was accepted. */
  public Optional<TaskRow> findByIdempotencyKey(String tenant, String key) {
    return queryOne("SELECT " + COLUMNS + " FROM tasks WHERE tenant = ? AND idempotency_key = ?", tenant, key);
  }

  /** The task, if known. */
  public Optional<TaskRow> find(String taskId) {
    return queryOne("SELECT " + COLUMNS + " FROM tasks WHERE task_id = ?", taskId);
  }

  /** The submission record a task was accepted with (single-object Avro), for approvals and replays. */
  public Optional<byte[]> submission(String taskId) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT submission FROM tasks WHERE task_id = ?")) {
      ps.setString(1, taskId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new TaskStoreException("could not read the submission of task " + taskId, e);
    }
  }

  /**
   * Records a submission; the row keeps its state if transitions were projected first (a rebuild
   * may read the two topics in any order).
   *
   * @return false when the tenant already has a task with this idempotency key (nothing changed)
   */
  public boolean recordSubmission(TaskSubmitted s, String tenant, byte[] encoded) {
    String sql = "INSERT INTO tasks (task_id, tenant, queue, type, classification, evidence_required, idempotency_key,"
        + " submitted_by, correlation_id, replay_of, labels, params, input_ref, input_sha256, input_size, submission,"
        + " state, attempt, submitted_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'PENDING',?,?,?)"
        + " ON CONFLICT (task_id) DO UPDATE SET tenant = EXCLUDED.tenant, queue = EXCLUDED.queue, type = EXCLUDED.type,"
        + " classification = EXCLUDED.classification, evidence_required = EXCLUDED.evidence_required,"
        + " idempotency_key = EXCLUDED.idempotency_key, submitted_by = EXCLUDED.submitted_by,"
        + " correlation_id = EXCLUDED.correlation_id, replay_of = EXCLUDED.replay_of, labels = EXCLUDED.labels,"
        + " params = EXCLUDED.params, input_ref = EXCLUDED.input_ref, input_sha256 = EXCLUDED.input_sha256,"
        + " input_size = EXCLUDED.input_size,"
        // A retry or an approval re-enqueues the submission: keep the first one's bytes, take the later attempt.
        + " submission = COALESCE(tasks.submission, EXCLUDED.submission), submitted_at = COALESCE(tasks.submitted_at, EXCLUDED.submitted_at)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, s.getTaskId());
      ps.setString(i++, tenant);
      ps.setString(i++, s.getQueue());
      ps.setString(i++, s.getType());
      ps.setString(i++, s.getClassification().name());
      ps.setBoolean(i++, s.getEvidenceRequired());
      ps.setString(i++, s.getIdempotencyKey());
      ps.setString(i++, s.getSubmittedBy());
      ps.setString(i++, s.getCorrelationId());
      ps.setString(i++, s.getReplayOf());
      ps.setString(i++, flat(s.getLabels()));
      ps.setString(i++, flat(s.getParams()));
      ps.setString(i++, s.getInputRef().getUri());
      ps.setString(i++, s.getInputRef().getSha256());
      ps.setLong(i++, s.getInputRef().getSize());
      ps.setBytes(i++, encoded);
      ps.setInt(i++, s.getAttempt());
      ps.setTimestamp(i++, Timestamp.from(s.getSubmittedAt()));
      ps.setTimestamp(i, Timestamp.from(Instant.now()));
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        return false;  // unique violation on (tenant, idempotency_key): an earlier task holds the key
      }
      throw new TaskStoreException("could not record the submission of task " + s.getTaskId(), e);
    }
  }

  /** Removes a submission that never reached Kafka, so the key can be used again. */
  public void forgetSubmission(String taskId) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("DELETE FROM tasks WHERE task_id = ? AND state = 'PENDING'"
             + " AND NOT EXISTS (SELECT 1 FROM task_transitions t WHERE t.task_id = tasks.task_id)")) {
      ps.setString(1, taskId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new TaskStoreException("could not forget task " + taskId, e);
    }
  }

  /**
   * Projects one transition read at {@code partition}/{@code offset} of the events topic. A record
   * read again changes nothing; a transition the lifecycle does not take is kept as not applied.
   */
  public void recordTransition(TaskStateChanged t, int partition, long offset) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        TaskState current = null;
        int currentAttempt = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT state, attempt FROM tasks WHERE task_id = ? FOR UPDATE")) {
          ps.setString(1, t.getTaskId());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              current = TaskState.valueOf(rs.getString(1));
              currentAttempt = rs.getInt(2);
            }
          }
        }
        boolean applies = TaskLifecycle.applies(current, currentAttempt, t.getTo(), t.getAttempt());
        int inserted;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_transitions (task_id, from_state, to_state,"
            + " worker_id, attempt, lease_epoch, config_version, config_digest, reason, output_ref, output_sha256, applied,"
            + " occurred_at, source_partition, source_offset) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            + " ON CONFLICT (source_partition, source_offset) DO NOTHING")) {
          int i = 1;
          ps.setString(i++, t.getTaskId());
          ps.setString(i++, t.getFrom() == null ? null : t.getFrom().name());
          ps.setString(i++, t.getTo().name());
          ps.setString(i++, t.getWorkerId());
          ps.setInt(i++, t.getAttempt());
          ps.setLong(i++, t.getLeaseEpoch());
          ps.setLong(i++, t.getConfigVersion());
          ps.setString(i++, t.getConfigDigest());
          ps.setString(i++, t.getReason());
          ps.setString(i++, t.getOutputRef() == null ? null : t.getOutputRef().getUri());
          ps.setString(i++, t.getOutputRef() == null ? null : t.getOutputRef().getSha256());
          ps.setBoolean(i++, applies);
          ps.setTimestamp(i++, Timestamp.from(t.getOccurredAt()));
          ps.setInt(i++, partition);
          ps.setLong(i, offset);
          inserted = ps.executeUpdate();
        }
        if (inserted == 1 && applies) {
          String sql = current == null
              ? "INSERT INTO tasks (state, attempt, lease_epoch, worker_id, config_version, config_digest, reason,"
                + " output_ref, output_sha256, output_size, updated_at, task_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
              : "UPDATE tasks SET state = ?, attempt = ?, lease_epoch = ?, worker_id = ?, config_version = ?,"
                + " config_digest = ?, reason = ?, output_ref = COALESCE(?, output_ref),"
                + " output_sha256 = COALESCE(?, output_sha256), output_size = COALESCE(?, output_size), updated_at = ?"
                + " WHERE task_id = ?";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, t.getTo().name());
            ps.setInt(i++, t.getAttempt());
            ps.setLong(i++, t.getLeaseEpoch());
            ps.setString(i++, t.getWorkerId());
            ps.setLong(i++, t.getConfigVersion());
            ps.setString(i++, t.getConfigDigest());
            ps.setString(i++, t.getReason());
            ps.setString(i++, t.getOutputRef() == null ? null : t.getOutputRef().getUri());
            ps.setString(i++, t.getOutputRef() == null ? null : t.getOutputRef().getSha256());
            if (t.getOutputRef() == null) {
              ps.setNull(i++, java.sql.Types.BIGINT);
            } else {
              ps.setLong(i++, t.getOutputRef().getSize());
            }
            ps.setTimestamp(i++, Timestamp.from(t.getOccurredAt()));
            ps.setString(i, t.getTaskId());
            ps.executeUpdate();
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new TaskStoreException("could not project a transition of task " + t.getTaskId(), e);
    }
  }

  /** Transitions of a task after {@code afterSeq}, oldest first, at most {@code limit}. */
  public List<TransitionRow> transitions(String taskId, long afterSeq, int limit) {
    String sql = "SELECT seq, task_id, from_state, to_state, worker_id, attempt, lease_epoch, config_version, config_digest,"
        + " reason, output_ref, output_sha256, applied, occurred_at FROM task_transitions WHERE task_id = ? AND seq > ?"
        + " ORDER BY seq LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, taskId);
      ps.setLong(2, afterSeq);
      ps.setInt(3, limit);
      List<TransitionRow> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new TransitionRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getString(10), rs.getString(11),
              rs.getString(12), rs.getBoolean(13), rs.getTimestamp(14).toInstant()));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new TaskStoreException("could not read the transitions of task " + taskId, e);
    }
  }

  /**
   * Tasks visible to {@code tenant} ("*" for all), newest first, filtered by queue and state when
   * given; {@code before} is the {@code updatedAt} of the previous page's last row, for paging.
   */
  public List<TaskRow> list(String tenant, String queue, String state, Instant before, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tasks WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (!"*".equals(tenant)) {
      sql.append(" AND tenant = ?");
      args.add(tenant);
    }
    if (queue != null) {
      sql.append(" AND queue = ?");
      args.add(queue);
    }
    if (state != null) {
      sql.append(" AND state = ?");
      args.add(state);
    }
    if (before != null) {
      sql.append(" AND updated_at < ?");
      args.add(Timestamp.from(before));
    }
    sql.append(" ORDER BY updated_at DESC LIMIT ?");
    args.add(limit);
    return query(sql.toString(), args.toArray());
  }

  private Optional<TaskRow> queryOne(String sql, Object... args) {
    List<TaskRow> rows = query(sql, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private List<TaskRow> query(String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<TaskRow> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new TaskRow(rs.getString("task_id"), rs.getString("tenant"), rs.getString("queue"), rs.getString("type"),
              rs.getString("classification"), (Boolean) rs.getObject("evidence_required"), rs.getString("idempotency_key"),
              rs.getString("submitted_by"), rs.getString("correlation_id"), rs.getString("replay_of"), rs.getString("labels"),
              rs.getString("params"), rs.getString("input_ref"), rs.getString("input_sha256"),
              (Long) rs.getObject("input_size"), rs.getString("state"), rs.getInt("attempt"), rs.getLong("lease_epoch"),
              rs.getString("worker_id"), (Long) rs.getObject("config_version"), rs.getString("config_digest"),
              rs.getString("reason"), rs.getString("output_ref"), rs.getString("output_sha256"),
              (Long) rs.getObject("output_size"), instant(rs.getTimestamp("submitted_at")),
              rs.getTimestamp("updated_at").toInstant()));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new TaskStoreException("could not read tasks", e);
    }
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  /** {@code k=v,k=v} in key order: labels and params are small string maps. */
  static String flat(Map<? extends CharSequence, ? extends CharSequence> map) {
    StringBuilder out = new StringBuilder();
    new TreeMap<String, String>(map.entrySet().stream().collect(java.util.stream.Collectors.toMap(
        e -> e.getKey().toString(), e -> e.getValue().toString()))).forEach((k, v) -> {
          if (out.length() > 0) {
            out.append(',');
          }
          out.append(k).append('=').append(v);
        });
    return out.toString();
  }

  /** The projection could not be read or written. */
  public static final class TaskStoreException extends RuntimeException {
    TaskStoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

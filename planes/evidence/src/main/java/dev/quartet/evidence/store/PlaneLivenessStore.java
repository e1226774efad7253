package dev.quartet.evidence.store;

import dev.quartet.evidence.domain.PlaneLivenessRow;
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
import javax.sql.DataSource;

/** Last sign of life per plane instance, and the silence gaps opened for them. */
@Singleton
public class PlaneLivenessStore {
  // Replays and out-of-order records are harmless: the latest occurred-at wins, and only it sets "stopped".
  private static final String SEEN = """
      INSERT INTO plane_liveness (plane, producer_id, last_seen_at, stopped) VALUES (?, ?, ?, ?)
      ON CONFLICT (plane, producer_id) DO UPDATE SET
        stopped = CASE WHEN EXCLUDED.last_seen_at >= plane_liveness.last_seen_at THEN EXCLUDED.stopped
                       ELSE plane_liveness.stopped END,
        last_seen_at = GREATEST(plane_liveness.last_seen_at, EXCLUDED.last_seen_at)""";
  private static final String WATCHED = """
      SELECT plane, producer_id, last_seen_at, stopped, open_gap_id, silent_since FROM plane_liveness
      WHERE (NOT stopped AND open_gap_id IS NULL AND last_seen_at < ?)
         OR (open_gap_id IS NOT NULL AND last_seen_at > silent_since)
      ORDER BY last_seen_at LIMIT ?""";
  private static final String OPEN_GAP = """
      UPDATE plane_liveness SET open_gap_id = ?, silent_since = ?
      WHERE plane = ? AND producer_id = ? AND open_gap_id IS NULL""";
  private static final String CLOSE_GAP = """
      UPDATE plane_liveness SET open_gap_id = NULL, silent_since = NULL
      WHERE plane = ? AND producer_id = ? AND open_gap_id = ?""";

  private final DataSource dataSource;

  PlaneLivenessStore(@Named("evidence") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Records a heartbeat ({@code stopped} false) or an orderly stop of an instance at {@code at}. */
  public void seen(String plane, String producerId, Instant at, boolean stopped) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SEEN)) {
      ps.setString(1, plane);
      ps.setString(2, producerId);
      ps.setTimestamp(3, Timestamp.from(at));
      ps.setBoolean(4, stopped);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record liveness of " + plane + "/" + producerId, e);
    }
  }

  /**
   * Instances that may need a decision: running ones last seen before {@code seenBefore} without
   * a gap, and ones with an open gap heard from since; at most {@code limit}, oldest first.
   */
  public List<PlaneLivenessRow> watched(Instant seenBefore, int limit) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(WATCHED)) {
      ps.setTimestamp(1, Timestamp.from(seenBefore));
      ps.setInt(2, limit);
      List<PlaneLivenessRow> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Timestamp since = rs.getTimestamp(6);
          rows.add(new PlaneLivenessRow(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getBoolean(4),
              rs.getString(5), since == null ? null : since.toInstant()));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read plane liveness", e);
    }
  }

  /** Marks the silence gap {@code gapId} (from {@code silentSince}) as recorded; false if one already was. */
  public boolean gapOpened(String plane, String producerId, String gapId, Instant silentSince) {
    return update(OPEN_GAP, ps -> {
      ps.setString(1, gapId);
      ps.setTimestamp(2, Timestamp.from(silentSince));
      ps.setString(3, plane);
      ps.setString(4, producerId);
    });
  }

  /** Marks gap {@code gapId} as closed; false if it was not the open one. */
  public boolean gapClosed(String plane, String producerId, String gapId) {
    return update(CLOSE_GAP, ps -> {
      ps.setString(1, plane);
      ps.setString(2, producerId);
      ps.setString(3, gapId);
    });
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private boolean update(String sql, Binder binder) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot update plane liveness", e);
    }
  }
}

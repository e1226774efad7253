package dev.quartet.control.store;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.control.domain.RolloutState;
import dev.quartet.control.domain.RolloutTally;
import dev.quartet.control.domain.RolloutVerdict;
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

/** The {@code config_rollouts} table (verdicts) and the tally of worker reports a verdict is made from. */
@Singleton
public class RolloutStore {
  private final DataSource dataSource;

  RolloutStore(@Named("control") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A recorded verdict on one version. */
  public record Decided(long version, RolloutVerdict verdict, RolloutTally tally, Instant at) {}

  /** Scopes whose head has no verdict yet, at most {@code limit}, oldest publish first. */
  public List<ConfigScope> undecidedHeads(int limit) {
    String sql = "SELECT h.scope FROM (SELECT DISTINCT ON (scope) scope, version, published_at FROM config_versions"
        + " ORDER BY scope, version DESC) h LEFT JOIN config_rollouts r ON r.scope = h.scope AND r.version = h.version"
        + " WHERE r.scope IS NULL ORDER BY h.published_at LIMIT ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<ConfigScope> out = new ArrayList<>();
        while (rs.next()) {
          out.add(ConfigScope.parse(rs.getString(1)));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list undecided rollouts", e);
    }
  }

  /**
   * What the scope's workers reported on {@code version} with exactly {@code digest}: a NACK of
   * another digest (a forged or stray record) is not about this version and does not count.
   */
  public RolloutTally tally(ConfigScope scope, long version, String digest) {
    String sql = "SELECT"
        + " count(*) FILTER (WHERE applied_version = ? AND applied_digest = ?),"
        + " count(*) FILTER (WHERE refused_version = ? AND refused_digest = ? AND refused_reason NOT LIKE ?"
        + "   AND (applied_version IS NULL OR applied_version < ?)),"
        + " count(*) FILTER (WHERE refused_version = ? AND refused_digest = ? AND refused_reason LIKE ?"
        + "   AND (applied_version IS NULL OR applied_version < ?))"
        + " FROM config_reports WHERE scope = ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      String notInCohort = RolloutTally.NOT_IN_COHORT + "%";
      int i = 1;
      ps.setLong(i++, version);
      ps.setString(i++, digest);
      for (int k = 0; k < 2; k++) {
        ps.setLong(i++, version);
        ps.setString(i++, digest);
        ps.setString(i++, notInCohort);
        ps.setLong(i++, version);
      }
      ps.setString(i, scope.toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new RolloutTally(rs.getLong(1), rs.getLong(2), rs.getLong(3));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot tally the rollout of " + scope + " v" + version, e);
    }
  }

  /** The verdict recorded on {@code version} of {@code scope}, if any. */
  public Optional<Decided> find(ConfigScope scope, long version) {
    String sql = "SELECT state, reason, applied, refused, not_in_cohort, decided_at FROM config_rollouts WHERE scope = ? AND version = ?";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, scope.toString());
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Decided(version, new RolloutVerdict(RolloutState.valueOf(rs.getString(1)), rs.getString(2)),
            new RolloutTally(rs.getLong(3), rs.getLong(4), rs.getLong(5)), rs.getTimestamp(6).toInstant())) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the rollout of " + scope + " v" + version, e);
    }
  }

  /**
   * Records a verdict and runs {@code beforeCommit} (its evidence) in the same transaction: the
   * row exists only if the evidence was written. Returns false when a verdict was already there
   * (another control-plane instance decided first), in which case nothing runs.
   */
  public boolean record(ConfigScope scope, long version, String digest, RolloutVerdict verdict, RolloutTally tally, Instant at,
                        Runnable beforeCommit) {
    String sql = "INSERT INTO config_rollouts (scope, version, digest, state, reason, applied, refused, not_in_cohort, decided_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, version) DO NOTHING";
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, scope.toString());
        ps.setLong(2, version);
        ps.setString(3, digest);
        ps.setString(4, verdict.state().name());
        ps.setString(5, verdict.reason());
        ps.setLong(6, tally.applied());
        ps.setLong(7, tally.refused());
        ps.setLong(8, tally.notInCohort());
        ps.setTimestamp(9, Timestamp.from(at));
        if (ps.executeUpdate() == 0) {
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
      throw new IllegalStateException("cannot record the rollout verdict of " + scope + " v" + version, e);
    }
  }
}

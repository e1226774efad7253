package dev.quartet.evidence.store;

import dev.quartet.contracts.evidence.Redaction;
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

/**
 * Openings of redacted attributes (salt and value), kept outside the log in PostgreSQL. Not a
 * projection: the topic never held them, so nothing can rebuild them and a rebuild leaves them be.
 */
@Singleton
public class RedactionStore {
  private static final String INSERT = """
      INSERT INTO redaction_opening (event_id, attribute, commitment, salt, value) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING""";
  private static final String SELECT =
      "SELECT attribute, commitment, salt, value, destroyed_at FROM redaction_opening WHERE event_id = ? ORDER BY attribute";
  // Both columns go together (a CHECK enforces it): a destroyed opening keeps only its commitment.
  private static final String DESTROY = """
      UPDATE redaction_opening SET salt = NULL, value = NULL, destroyed_at = ?
      WHERE event_id = ? AND attribute = ? AND destroyed_at IS NULL""";

  private final DataSource dataSource;

  RedactionStore(@Named("evidence") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One stored opening: salt and value are {@code null} once destroyed. */
  public record StoredOpening(String attribute, String commitment, byte[] salt, String value, Instant destroyedAt) {}

  /**
   * Keeps the openings of event {@code eventId}; an attribute already held is left as it is (a
   * retried deposit), so a destroyed value is never brought back.
   */
  public void keep(String eventId, List<Redaction.Opening> openings) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (Redaction.Opening o : openings) {
        ps.setString(1, eventId);
        ps.setString(2, o.attribute());
        ps.setString(3, o.commitment());
        ps.setBytes(4, o.salt());
        ps.setString(5, o.value());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot keep the redaction openings of evidence " + eventId, e);
    }
  }

  /** The openings of event {@code eventId}, destroyed ones included. */
  public List<StoredOpening> of(String eventId) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
      ps.setString(1, eventId);
      try (ResultSet rs = ps.executeQuery()) {
        List<StoredOpening> out = new ArrayList<>();
        while (rs.next()) {
          Timestamp destroyed = rs.getTimestamp(5);
          out.add(new StoredOpening(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getString(4),
              destroyed == null ? null : destroyed.toInstant()));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the redaction openings of evidence " + eventId, e);
    }
  }

  /**
   * Destroys the salt and value of one attribute of one event.
   *
   * @return the opening as it is now, empty when there is no such opening
   */
  public Optional<StoredOpening> destroy(String eventId, String attribute, Instant at) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DESTROY)) {
      ps.setTimestamp(1, Timestamp.from(at));
      ps.setString(2, eventId);
      ps.setString(3, attribute);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot destroy the opening of " + attribute + " of evidence " + eventId, e);
    }
    return of(eventId).stream().filter(o -> o.attribute().equals(attribute)).findFirst();
  }
}

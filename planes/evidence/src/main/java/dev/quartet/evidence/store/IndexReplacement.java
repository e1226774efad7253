package dev.quartet.evidence.store;

import dev.quartet.evidence.domain.IndexedEvidence;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Replaces the evidence index in one transaction: the table is emptied (TRUNCATE, so the indexer
 * and readers wait on its lock rather than see a half-built index), refilled by the caller, and
 * committed only if the caller returns normally. Leaves, trees, checkpoints and redaction
 * openings are not projections of the topic and are not touched.
 */
@Singleton
public class IndexReplacement {
  private final DataSource dataSource;

  IndexReplacement(@Named("evidence") DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Empties the index and lets {@code refill} add rows through the sink it is given, all in one transaction.
   *
   * @throws IllegalStateException when PostgreSQL fails; any exception rolls everything back
   */
  public void replace(Consumer<Consumer<List<IndexedEvidence>>> refill) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (Statement s = c.createStatement()) {
          s.execute("TRUNCATE evidence_index RESTART IDENTITY");
        }
        refill.accept(batch -> {
          try {
            EvidenceIndexStore.insert(c, batch);
          } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + batch.size() + " rebuilt index rows", e);
          }
        });
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot rebuild the evidence index", e);
    }
  }
}

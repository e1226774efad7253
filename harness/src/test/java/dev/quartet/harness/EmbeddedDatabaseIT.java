package dev.quartet.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EmbeddedDatabaseIT {

  @Test
  void restartKeepsDataAndEachRoleStaysInItsOwnSchema(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0, Duration.ofSeconds(60))) {
      db.provisionOwner("quartet_probe", "probe-secret", "probe");
      db.provisionOwner("quartet_other", "other-secret", "other");
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "quartet_probe", "probe-secret");
           Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept (v text)");
        s.execute("INSERT INTO kept VALUES ('survives')");
      }
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "quartet_other", "other-secret");
           Statement s = c.createStatement()) {
        assertThrows(java.sql.SQLException.class, () -> s.executeQuery("SELECT * FROM probe.kept"),
            "another plane's role must not read the probe schema");
      }
    }
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0, Duration.ofSeconds(60));
         Connection c = DriverManager.getConnection(db.jdbcUrl(), "quartet_probe", "probe-secret");
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
      rs.next();
      assertEquals("survives", rs.getString(1), "row after restart");
    }
  }
}

package dev.quartet.harness;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A real PostgreSQL server (embedded binaries) whose data directory survives restarts. It holds
 * one database, {@value #DATABASE}, in which each plane owns a schema and a login role.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  /** The database the planes share; each plane stays in its own schema. */
  public static final String DATABASE = "quartet";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on {@code dir} (initialised on first use) and creates {@value #DATABASE}.
   *
   * @param port the port to listen on, or 0 for any free loopback port
   * @throws PortInUseException when {@code port} is taken
   */
  public static EmbeddedDatabase start(Path dir, int port, Duration startupWait) {
    if (port != 0 && !FreePorts.isFree(port)) {
      throw new PortInUseException(port, "PostgreSQL");
    }
    try {
      Files.createDirectories(dir);
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(dir.resolve("pgdata"))
          .setOverrideWorkingDirectory(dir.resolve("binaries").toFile())
          .setCleanDataDirectory(false)
          .setPort(port == 0 ? FreePorts.any() : port)
          .setPGStartupWait(startupWait)
          // The owner (quartet up, the test harness) stops it in order, after the planes.
          .setRegisterShutdownHook(false)
          .setServerConfig("max_connections", "200")
          .setServerConfig("shared_buffers", "32MB")
          .setServerConfig("fsync", "on")
          .start();
      EmbeddedDatabase db = new EmbeddedDatabase(pg);
      db.createDatabaseIfMissing();
      log.info("PostgreSQL listening on 127.0.0.1:{} with data in {}", pg.getPort(), dir);
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL in " + dir, e);
    }
  }

  /** The port PostgreSQL listens on. */
  public int port() {
    return postgres.getPort();
  }

  /** The JDBC URL of {@value #DATABASE}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
  }

  /** A superuser data source on {@value #DATABASE}; for provisioning, never for a plane. */
  public DataSource superuser() {
    return postgres.getDatabase("postgres", DATABASE);
  }

  /**
   * Creates (idempotently) a login role that owns a schema of the same purpose, and makes that
   * schema the role's search path, so a plane's migrations and queries stay inside it.
   */
  public void provisionOwner(String role, String password, String schema) {
    requireIdentifier(role);
    requireIdentifier(schema);
    try (Connection c = superuser().getConnection(); Statement s = c.createStatement()) {
      boolean exists;
      try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
        q.setString(1, role);
        exists = q.executeQuery().next();
      }
      String quotedPassword = "'" + password.replace("'", "''") + "'";
      s.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + role + " LOGIN PASSWORD " + quotedPassword);
      s.execute("CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION " + role);
      s.execute("ALTER ROLE " + role + " SET search_path = " + schema);
      s.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot provision role " + role + " with schema " + schema, e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
    }
  }

  private void createDatabaseIfMissing() {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
         Statement s = c.createStatement()) {
      boolean exists = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'").next();
      if (!exists) {
        s.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + DATABASE, e);
    }
  }

  private static void requireIdentifier(String name) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain SQL identifier: " + name);
    }
  }
}

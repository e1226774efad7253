package dev.quartet.bench;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.contracts.trust.Dsse;
import dev.quartet.harness.EmbeddedDatabase;
import dev.quartet.harness.FreePorts;
import dev.quartet.runtime.PlaneProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The control, execution (with one worker) and data planes in this JVM, against the run's broker
 * and an embedded PostgreSQL in a temporary directory — as {@code quartet up} runs them, minus the
 * evidence plane, which no plane scenario reads. A development trust root signs version 1 of scope
 * {@value #SCOPE}; the worker of queue {@value #QUEUE} verifies and applies it before
 * {@link #start} returns. Everything, the directory included, is gone after {@link #close()}.
 */
final class QuartetStack implements AutoCloseable {
  /** Scope of the signed config the worker applies. */
  static final String SCOPE = "bench/dev";
  /** The worker's queue; every bench task goes there. */
  static final String QUEUE = SCOPE + "/main";
  private static final String SHARED_KEY = "quartet-planes";
  private static final String CONFIG_PAYLOAD_TYPE = "application/vnd.quartet.config+json";
  private final Path dir;
  private final Deque<AutoCloseable> running;
  private final StackClient client;

  private QuartetStack(Path dir, Deque<AutoCloseable> running, StackClient client) {
    this.dir = dir;
    this.running = running;
    this.client = client;
  }

  /** The run's planes: started by the first scenario that needs them, closed with {@code ctx}. */
  static QuartetStack of(BenchContext ctx, PlaneBenchSettings settings) {
    return ctx.shared(SHARED_KEY, QuartetStack.class, () -> start(ctx, settings));
  }

  /** HTTP access to the planes as the bootstrap admin. */
  StackClient client() {
    return client;
  }

  private static QuartetStack start(BenchContext ctx, PlaneBenchSettings settings) {
    Path dir;
    try {
      dir = Files.createTempDirectory("quartet-bench-planes-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the planes", e);
    }
    Deque<AutoCloseable> running = new ArrayDeque<>();
    try {
      EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("postgres"), 0, settings.startupTimeout());
      running.push(db);
      DevelopmentTrust trust = DevelopmentTrust.ensure(dir, Clock.systemUTC());
      String adminToken = secret();
      int port = FreePorts.any();
      String url = "http://127.0.0.1:" + port;
      Map<String, Object> p = new HashMap<>();
      for (Plane plane : List.of(Plane.CONTROL, Plane.EXECUTION, Plane.DATA)) {
        // Each plane logs in as its own role into its own schema, as under `quartet up`.
        String role = "quartet_" + plane.id();
        String password = secret();
        db.provisionOwner(role, password, plane.id());
        p.put("datasources." + plane.id() + ".url", db.jdbcUrl());
        p.put("datasources." + plane.id() + ".username", role);
        p.put("datasources." + plane.id() + ".password", password);
      }
      p.put("micronaut.server.host", "127.0.0.1");
      p.put("micronaut.server.port", port);
      p.put("quartet.kafka.bootstrap-servers", ctx.bootstrapServers());
      p.put("quartet.kafka.broker-count", ctx.brokerCount());
      p.put("quartet.security.admin-token", adminToken);
      p.put("quartet.security.token-secret", secret());
      p.put("quartet.control.trust-file", trust.trustFile().toString());
      p.put("quartet.control.lease.key-file", DevelopmentTrust.leaseKeyFile(dir).toString());
      p.put("quartet.data.blob-store.dir", dir.resolve("blobs").toString());
      p.put("quartet.data.encryption.keys-dir", dir.resolve("keys").toString());
      p.put("quartet.worker.enabled", true);
      p.put("quartet.worker.id", ctx.uniqueId("worker"));
      p.put("quartet.worker.queue", QUEUE);
      p.put("quartet.worker.trust-file", trust.trustFile().toString());
      p.put("quartet.worker.tasks.data-url", url);
      p.put("quartet.worker.tasks.data-token", adminToken);
      p.put("quartet.worker.tasks.process-work-dir", dir.resolve("work").toString());
      PlaneProcess planes = PlaneProcess.start(EnumSet.of(Plane.CONTROL, Plane.EXECUTION, Plane.DATA), p);
      running.push(planes);
      StackClient client = new StackClient(url, adminToken, ctx.settings().operationTimeout());
      client.publishConfig(Dsse.sign(CONFIG_PAYLOAD_TYPE, CanonicalJson.serialize(configVersion1(Instant.now())),
          trust.adminKey()).toJson());
      client.awaitWorkerConfig(1, settings.startupTimeout());
      return new QuartetStack(dir, running, client);
    } catch (IOException e) {
      closeAll(running, dir);
      throw new UncheckedIOException("cannot start the planes in " + dir, e);
    } catch (RuntimeException | Error e) {
      // Errors too (a class file truncated under us, out of memory): PostgreSQL is a separate process
      // and would outlive the JVM.
      closeAll(running, dir);
      throw e;
    }
  }

  /**
   * Version 1 of {@value #SCOPE}: the shape of the shipped reference configuration, with the
   * transform tool and quotas far above what one worker can run, so no quota throttles the pipeline.
   */
  static Map<String, Object> configVersion1(Instant now) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("scope", SCOPE);
    doc.put("version", 1);
    doc.put("parent", "");
    doc.put("issuedAt", now.truncatedTo(ChronoUnit.SECONDS).toString());
    doc.put("expiresAt", now.truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(1)).toString());
    doc.put("body", Map.of(
        "lease", Map.of("duration", "60s"),
        "degradedMode", Map.of("policy", "continue-cached", "grace", "10m"),
        "tools", List.of(Map.of("name", "transform", "kind", "transform")),
        "policies", Map.of(
            "egress", Map.of("allow", List.of()),
            "quotas", Map.of("concurrentTasks", 1_000_000, "tasksPerMinute", 100_000_000, "storedBytes", "100GiB"),
            "approvals", List.of()),
        "routes", List.of(Map.of("name", "default",
            "classifications", List.of("PUBLIC", "INTERNAL", "CONFIDENTIAL", "RESTRICTED"),
            "maxInputBytes", "10MiB", "maxTaskBytes", "20MiB")),
        "retention", Map.of("evidence", "400d", "payloads", "30d"),
        "rollout", Map.of("cohort", "100%", "bake", "0s")));
    return doc;
  }

  @Override
  public void close() {
    closeAll(running, dir);
  }

  @Override
  public String toString() {
    return "the bench planes in " + dir;
  }

  /** Stops the planes, then PostgreSQL, then deletes the directory; goes on past a failure, rethrowing the first. */
  private static void closeAll(Deque<AutoCloseable> running, Path dir) {
    RuntimeException failure = null;
    while (!running.isEmpty()) {
      AutoCloseable next = running.pop();
      try {
        next.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException(next.getClass().getSimpleName() + " did not stop cleanly: " + e.getMessage(), e);
        }
      }
    }
    try {
      TempFiles.deleteTree(dir);
    } catch (UncheckedIOException e) {
      if (failure == null) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static String secret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}

package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.harness.EmbeddedDatabase;
import dev.quartet.harness.EmbeddedKafka;
import dev.quartet.harness.FreePorts;
import dev.quartet.harness.PortInUseException;
import dev.quartet.runtime.PlaneProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code quartet up}: a real Kafka broker, a real PostgreSQL and all four planes on this machine,
 * with their data under one directory. Ctrl-C stops the planes first, then Kafka, then PostgreSQL.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Run embedded Kafka + PostgreSQL + all four planes on this machine until Ctrl-C.")
final class UpCommand implements Callable<Integer> {
  private static final String REFERENCE_SCOPE = "default/dev";
  /** The HS256 secret every plane signs and checks API tokens with; created once, kept across restarts. */
  private static final String TOKEN_SECRET_FILE = "token.secret";

  @ParentCommand
  Quartet root;
  @Spec
  CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where all data lives (default: $QUARTET_DATA_DIR or ./quartet-data)")
  Path dataDir;

  @Option(names = "--port", description = "HTTP port on 127.0.0.1 (default ${DEFAULT-VALUE})", defaultValue = "8080")
  int port;

  @Option(names = "--kafka-port", description = "Kafka broker port (default: the previous one if free, else any)", defaultValue = "0")
  int kafkaPort;

  @Option(names = "--startup-timeout", description = "Longest wait for PostgreSQL to start (default ${DEFAULT-VALUE})", defaultValue = "PT60S")
  Duration startupTimeout;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    Path dir = (dataDir != null ? dataDir : GlobalOptions.dataDir(root.env)).toAbsolutePath().normalize();
    DataDirectory data = DataDirectory.open(dir);
    if (!FreePorts.isFree(port)) {
      throw new CliFailure(ExitCode.REJECTED, "HTTP port " + port + " on 127.0.0.1 is already in use");
    }
    Deque<AutoCloseable> running = new ArrayDeque<>();
    EmbeddedKafka kafka;
    EmbeddedDatabase db;
    PlaneProcess planes;
    try {
      kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort);
      running.push(kafka);
      db = EmbeddedDatabase.start(dir.resolve("postgres"), 0, startupTimeout);
      running.push(db);
      data.writeBootstrapServers(kafka.bootstrapServers());
      // A development admin key and a trust root pinned to it, so a newcomer can sign at once.
      DevelopmentTrust trust = DevelopmentTrust.ensure(dir, Clock.systemUTC());
      Map<String, Object> properties = planeProperties(kafka, db, data.adminToken());
      properties.put("quartet.security.token-secret", tokenSecret(dir));
      properties.put("quartet.control.trust-file", trust.trustFile().toString());
      properties.put("quartet.evidence.checkpoint.key-file", DevelopmentTrust.checkpointKeyFile(dir).toString());
      properties.put("quartet.control.lease.key-file", DevelopmentTrust.leaseKeyFile(dir).toString());
      properties.put("quartet.data.blob-store.dir", dir.resolve("blobs").toString());
      // Evidence that cannot be written yet is buffered (encrypted) here, then flushed behind a gap.
      properties.put("quartet.evidence-client.buffer-dir", dir.resolve("evidence-buffer").toString());
      // One worker for default/dev/main that verifies every snapshot against the pinned root itself.
      properties.put("quartet.worker.enabled", true);
      properties.put("quartet.worker.trust-file", trust.trustFile().toString());
      // The worker reads inputs and stores outputs through this process's data plane, as the admin.
      properties.put("quartet.worker.tasks.data-url", "http://127.0.0.1:" + port);
      properties.put("quartet.worker.tasks.data-token", data.adminToken());
      properties.put("quartet.worker.tasks.process-work-dir", dir.resolve("work").toString());
      properties.put("quartet.data.encryption.keys-dir", dir.resolve("keys").toString());
      // The data plane verifies the config snapshots itself, against the same pinned trust root.
      properties.put("quartet.data.config.trust-file", trust.trustFile().toString());
      properties.put("quartet.data.config.scopes", REFERENCE_SCOPE);
      planes = PlaneProcess.start(EnumSet.allOf(Plane.class), properties);
      running.push(planes);
      publishReferenceConfig(planes.url().toString(), data.adminToken(), trust);
    } catch (PortInUseException e) {
      closeAll(running);
      throw new CliFailure(ExitCode.REJECTED, e.getMessage());
    } catch (RuntimeException e) {
      closeAll(running);
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      closeAll(running);
      stopped.countDown();
    }, "quartet-shutdown"));
    printWelcome(spec.commandLine().getOut(), dir, planes.url().toString().replaceAll("/$", ""),
        kafka.bootstrapServers(), db.jdbcUrl(), Duration.ofNanos(System.nanoTime() - started));
    stopped.await();
    return ExitCode.OK.code();
  }

  /**
   * On a new data dir, signs the shipped reference configuration as version 1 of default/dev with
   * the development key and publishes it through the control plane's API, like an admin would.
   */
  private void publishReferenceConfig(String url, String adminToken, DevelopmentTrust trust) {
    ApiClient client = new ApiClient(url, adminToken, ApiClient.Settings.defaults());
    if (client.exists("/v1/config/snapshots/" + REFERENCE_SCOPE)) {
      return;
    }
    var envelope = ConfigDocuments.sign(ConfigDocuments.fromYaml(ConfigDocuments.referenceYaml()), trust.adminKey(),
        null, java.time.Instant.now());
    var published = client.postJson("/v1/config/snapshots", envelope.toJson());
    spec.commandLine().getOut().printf("Published %s v%s (digest %s), signed with %s%n", published.path("scope").asText(),
        published.path("version").asText(), published.path("digest").asText(), trust.adminKey().keyId().hex());
  }

  private Map<String, Object> planeProperties(EmbeddedKafka kafka, EmbeddedDatabase db, String adminToken) {
    Map<String, Object> p = new HashMap<>();
    p.put("micronaut.server.host", "127.0.0.1");
    p.put("micronaut.server.port", port);
    p.put("quartet.kafka.bootstrap-servers", kafka.bootstrapServers());
    p.put("quartet.kafka.broker-count", 1);
    p.put("quartet.security.admin-token", adminToken);
    for (Plane plane : Plane.values()) {
      // Each plane logs in as its own role into its own schema, as it would in production.
      String role = "quartet_" + plane.id();
      String password = DataDirectory.randomSecret();
      db.provisionOwner(role, password, plane.id());
      p.put("datasources." + plane.id() + ".url", db.jdbcUrl());
      p.put("datasources." + plane.id() + ".username", role);
      p.put("datasources." + plane.id() + ".password", password);
    }
    return p;
  }

  private void printWelcome(PrintWriter out, Path dir, String url, String bootstrap, String db, Duration took) {
    out.printf("Quartet is up in %.1f s (data in %s)%n", took.toMillis() / 1000.0, dir);
    out.printf("  HTTP API         %s  (/v1/config /v1/tasks /v1/payloads /v1/evidence)%n", url);
    out.printf("  Health           %s/health%n", url);
    out.printf("  Kafka bootstrap  %s  (also in %s; any Kafka tool, e.g. kcat -b %s -L)%n", bootstrap,
        dir.resolve("bootstrap.servers"), bootstrap);
    out.printf("  PostgreSQL       %s%n", db);
    out.printf("  Admin token      %s (mode 0600; the CLI uses it when no --token is given)%n", dir.resolve("admin.token"));
    out.printf("  Token secret     %s (mode 0600; signs API tokens: quartet token create --role R --tenant T)%n",
        dir.resolve(TOKEN_SECRET_FILE));
    out.printf("  Trust root       %s (dev key %s, threshold 1)%n", dir.resolve("trust.json"), dir.resolve("dev-admin.key"));
    String cli = cliPrefix(dir);
    out.println("Try next:");
    out.printf("  %s config get --scope default/dev%n", cli);
    out.printf("  echo 'hello quartet' > hello.txt && %s task submit --type transform --input hello.txt --param op=uppercase --wait%n", cli);
    out.printf("  %s evidence query --from %s --to 2100-01-01T00:00:00Z%n", cli,
        java.time.Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    out.printf("  %s evidence tail%n", cli);
    out.println("Press Ctrl-C to stop.");
    out.flush();
  }

  /**
   * The API token secret of this data dir: created on the first start (mode 0600, 256 random bits)
   * and reused afterwards, so tokens minted before a restart stay valid.
   */
  private static String tokenSecret(Path dir) throws IOException {
    Path file = dir.resolve(TOKEN_SECRET_FILE);
    if (!Files.exists(file)) {
      // Temp files start owner-only, so the secret is never readable by others, even briefly.
      Path tmp = Files.createTempFile(dir, "." + TOKEN_SECRET_FILE, ".tmp");
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(tmp, DataDirectory.randomSecret() + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
    String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
    if (secret.length() < 32) {
      throw new CliFailure(ExitCode.REJECTED, file + " holds fewer than 32 characters; delete it to have a new one made");
    }
    return secret;
  }

  /** How to call the CLI so it finds this instance: default data dir and port need nothing. */
  private String cliPrefix(Path dir) {
    StringBuilder cli = new StringBuilder();
    if (!dir.equals(GlobalOptions.dataDir(root.env).toAbsolutePath().normalize())) {
      cli.append("QUARTET_DATA_DIR=").append(dir).append(' ');
    }
    cli.append("./quartet");
    if (port != 8080) {
      cli.append(" --server http://127.0.0.1:").append(port);
    }
    return cli.toString();
  }

  private static void closeAll(Deque<AutoCloseable> running) {
    while (!running.isEmpty()) {
      AutoCloseable next = running.pop();
      try {
        next.close();
      } catch (Exception e) {
        System.err.println("quartet: " + next.getClass().getSimpleName() + " did not stop cleanly: " + e.getMessage());
      }
    }
  }
}

package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.harness.FreePorts;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export and offline verify end to end: control and evidence planes on the real broker and
 * database, a config published through the CLI, then `evidence export` of the PlaneStarted and
 * config.published events, `evidence verify` against the data dir's trust root (exit 0), and the
 * same bundle tampered (exit 1 naming the step). Own schemas, group and origin, so other tests'
 * planes are other logs.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidenceExportIT {
  private static final String TOKEN = "evidence-export-it-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private PlaneProcess planes;
  private Map<String, String> env;
  private String server;
  private Path dir;
  private Path trustFile;
  private Instant started;

  @BeforeAll
  void startPlanes(Infrastructure infra, @TempDir Path tmp) throws Exception {
    dir = tmp;
    DevelopmentTrust trust = DevelopmentTrust.ensure(dir, Clock.systemUTC());
    trustFile = trust.trustFile();
    String suffix = infra.unique("x").replaceAll("[^a-z0-9]", "");
    Map<String, Object> p = new HashMap<>();
    for (String plane : new String[] {"control", "evidence"}) {
      String schema = plane + "_export_it_" + suffix;
      infra.database().provisionOwner("quartet_" + schema, "secret-" + suffix, schema);
      p.put("datasources." + plane + ".url", infra.jdbcUrl());
      p.put("datasources." + plane + ".username", "quartet_" + schema);
      p.put("datasources." + plane + ".password", "secret-" + suffix);
      p.put("datasources." + plane + ".schema", schema);
      p.put("flyway.datasources." + plane + ".schemas", schema);
      p.put("flyway.datasources." + plane + ".default-schema", schema);
    }
    p.put("micronaut.server.port", -1);
    p.put("quartet.kafka.bootstrap-servers", infra.kafkaBootstrap());
    p.put("quartet.kafka.broker-count", 1);
    p.put("quartet.security.admin-token", TOKEN);
    p.put("quartet.control.trust-file", trustFile.toString());
    p.put("quartet.evidence.checkpoint.key-file", DevelopmentTrust.checkpointKeyFile(dir).toString());
    p.put("quartet.evidence.checkpoint.origin-prefix", "it.quartet.dev/export-" + suffix + "/");
    p.put("quartet.evidence.checkpoint.every", "200ms");
    p.put("quartet.evidence.index.consumer-group", infra.unique("evidence-export-it"));
    started = Instant.now().minusSeconds(1);
    planes = PlaneProcess.start(EnumSet.of(Plane.CONTROL, Plane.EVIDENCE), p);
    server = planes.url().toString().replaceAll("/$", "");
    env = Map.of("QUARTET_TOKEN", TOKEN, "QUARTET_DATA_DIR", dir.toString());
  }

  @AfterAll
  void stop() {
    if (planes != null) {
      planes.close();
    }
  }

  @Test
  void exportedEventsVerifyOfflineAndATamperedBundleDoesNot() throws Exception {
    String scope = "exp" + HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(), (byte) System.nanoTime()}) + "/dev";
    String digest = publish(scope);
    Instant to = Instant.now().plusSeconds(60);
    // The planes' PlaneStarted events and the config.published event, once indexed.
    await("PlaneStarted and config.published indexed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          var q = cli("--output", "json", "evidence", "query", "--from", started.toString(), "--to", to.toString());
          assertEquals(0, q.exitCode(), q.err());
          assertTrue(q.out().contains("\"PlaneStarted\"") && q.out().contains("\"config.published\""), "indexed: " + q.out());
        });

    Path bundle = dir.resolve("bundle.zip");
    var export = cli("--output", "json", "evidence", "export", "--from", started.toString(), "--to", to.toString(),
        "--out", bundle.toString());
    assertEquals(0, export.exitCode(), "export; stderr: " + export.err());
    JsonNode counts = JSON.readTree(export.out().strip());
    assertTrue(counts.path("events").asInt() >= 3, "PlaneStarted x2 + config.published exported: " + counts);
    assertEquals(1, counts.path("configSnapshots").asInt(), "the published snapshot fetched from control: " + counts);
    BundleManifest manifest = BundleManifest.fromJson(BundleFixture.entries(bundle).get(BundleLayout.MANIFEST));
    assertEquals(digest, manifest.configSnapshots().get(0).digest(), "snapshot digest in the manifest");

    var verified = offline("evidence", "verify", bundle.toString(), "--trust", trustFile.toString());
    assertEquals(0, verified.exitCode(), "verify; stderr: " + verified.err());
    assertTrue(verified.out().startsWith("verified " + counts.path("events").asInt() + " events"), verified.out());

    Path tampered = BundleFixture.rewrite(bundle, dir.resolve("tampered.zip"),
        e -> BundleVerifierTest.flipRecord(e, 0, 20));
    var refused = offline("evidence", "verify", tampered.toString(), "--trust", trustFile.toString());
    assertEquals(1, refused.exitCode(), "tampered verify; stdout: " + refused.out());
    assertEquals(1, refused.err().strip().lines().count(), "one line: " + refused.err());
    assertTrue(refused.err().startsWith("quartet: verify failed at inclusion[0] (event "), refused.err());

    // Control unreachable: the export still succeeds and lists the snapshot as missing; verify accepts that.
    Path partial = dir.resolve("partial.zip");
    var noControl = cli("--output", "json", "evidence", "export", "--correlation", scope + "@1", "--out", partial.toString(),
        "--control-server", "http://127.0.0.1:" + FreePorts.any());
    assertEquals(0, noControl.exitCode(), "export without control; stderr: " + noControl.err());
    assertEquals(1, JSON.readTree(noControl.out().strip()).path("missingConfigSnapshots").asInt(), noControl.out());
    var partialVerified = offline("evidence", "verify", partial.toString(), "--trust", trustFile.toString());
    assertEquals(0, partialVerified.exitCode(), "verify of the partial bundle; stderr: " + partialVerified.err());
    assertTrue(partialVerified.out().contains("(1 listed missing)"), partialVerified.out());
  }

  /** Signs the reference configuration as v1 of {@code scope} with the dev key and publishes it with the CLI; returns its digest. */
  private String publish(String scope) throws Exception {
    Map<String, Object> doc = ConfigDocuments.fromYaml(ConfigDocuments.referenceYaml());
    doc.put("scope", scope);
    DsseEnvelope envelope = ConfigDocuments.sign(doc, DevelopmentTrust.ensure(dir, Clock.systemUTC()).adminKey(), null, Instant.now());
    Path file = Files.write(dir.resolve("snap.dsse.json"), envelope.toJsonFile());
    var published = cli("--output", "json", "config", "publish", file.toString());
    assertEquals(0, published.exitCode(), "publish; stderr: " + published.err());
    return JSON.readTree(published.out().strip()).path("digest").asText();
  }

  /** The CLI pointed at a port nothing listens on, with no token: verify must not need either. */
  private static QuartetCommandLineTest.Run offline(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--server";
    all[1] = "http://127.0.0.1:" + FreePorts.any();
    System.arraycopy(args, 0, all, 2, args.length);
    return QuartetCommandLineTest.run(Map.of(), all);
  }

  private QuartetCommandLineTest.Run cli(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--server";
    all[1] = server;
    System.arraycopy(args, 0, all, 2, args.length);
    return QuartetCommandLineTest.run(env, all);
  }
}

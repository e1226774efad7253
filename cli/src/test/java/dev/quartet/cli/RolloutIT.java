package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.execution.WorkerProcess;
import dev.quartet.execution.domain.RolloutTarget;
import dev.quartet.execution.domain.WorkerStatus;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Staged rollout end to end: a real control plane, real in-process workers verifying every
 * snapshot themselves, the real broker and database. A 50% cohort is applied by the workers whose
 * stable bucket is inside it and not by the other, which stays leased on its version; the bake
 * completes the rollout; a real worker's NACK halts the next one, recorded as evidence with why.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutIT {
  private static final String TOKEN = "rollout-it-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private final Random seeded = new Random(20261124L);
  private final List<WorkerProcess> workers = new ArrayList<>();
  private PlaneProcess plane;
  private Map<String, String> env;
  private String server;
  private String bootstrap;
  private Path dir;
  private DevelopmentTrust trust;

  @BeforeAll
  void start(Infrastructure infra, @TempDir Path tmp) throws Exception {
    dir = tmp;
    trust = DevelopmentTrust.ensure(dir, Clock.systemUTC());
    bootstrap = infra.kafkaBootstrap();
    String schema = "control_" + infra.unique("ro").replaceAll("[^a-z0-9]", "");
    infra.database().provisionOwner("quartet_" + schema, "secret-ro", schema);
    Map<String, Object> p = new HashMap<>();
    p.put("datasources.control.url", infra.jdbcUrl());
    p.put("datasources.control.username", "quartet_" + schema);
    p.put("datasources.control.password", "secret-ro");
    p.put("datasources.control.schema", schema);
    p.put("flyway.datasources.control.schemas", schema);
    p.put("flyway.datasources.control.default-schema", schema);
    p.put("micronaut.server.port", -1);
    p.put("quartet.kafka.bootstrap-servers", bootstrap);
    p.put("quartet.kafka.broker-count", 1);
    p.put("quartet.security.admin-token", TOKEN);
    p.put("quartet.control.trust-file", trust.trustFile().toString());
    p.put("quartet.control.lease.key-file", dir.resolve(DevelopmentTrust.LEASE_KEY_NAME + ".key").toString());
    p.put("quartet.control.workers.consumer-group", infra.unique("rollout-it"));
    p.put("quartet.control.rollout.check-interval", "200ms");
    plane = PlaneProcess.start(EnumSet.of(Plane.CONTROL), p);
    server = plane.url().toString().replaceAll("/$", "");
    env = Map.of("QUARTET_TOKEN", TOKEN, "QUARTET_DATA_DIR", dir.toString());
  }

  @AfterAll
  void stop() {
    workers.forEach(WorkerProcess::close);
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void aHalfCohortAppliesOnSomeWorkersCompletesAfterItsBakeAndANackHaltsTheNext(Infrastructure infra) throws Exception {
    String scope = infra.unique("ro").replaceAll("[^a-z0-9-]", "") + "/dev";
    String inA = idWithBucket(true);
    String inB = idWithBucket(true);
    String out = idWithBucket(false);
    String v1 = publish(scope, 1, "", null);
    WorkerProcess outside = null;
    for (String id : List.of(inA, inB, out)) {
      WorkerProcess w = worker(id, scope, trust.trustFile());
      if (id.equals(out)) {
        outside = w;
      }
    }
    awaitStatus(scope, "every worker on v1 and its rollout completed", s -> applied(s, inA) == 1 && applied(s, inB) == 1
        && applied(s, out) == 1 && "COMPLETED".equals(s.path("rollout").path("state").asText()));

    String v2 = publish(scope, 2, v1, Map.of("cohort", "50%", "bake", "2s"));
    JsonNode baked = awaitStatus(scope, "v2 on the cohort only, completed after its bake", s -> applied(s, inA) == 2
        && applied(s, inB) == 2 && applied(s, out) == 1 && "COMPLETED".equals(s.path("rollout").path("state").asText()));
    JsonNode rollout = baked.path("rollout");
    assertEquals(2, rollout.path("version").asLong(), baked.toString());
    assertEquals("50%", rollout.path("cohort").asText());
    assertEquals(2, rollout.path("applied").asLong(), baked.toString());
    assertEquals(0, rollout.path("refused").asLong(), baked.toString());
    assertEquals(1, rollout.path("notInCohort").asLong(), baked.toString());
    JsonNode outsideRow = row(baked, out);
    assertTrue(outsideRow.path("lastNackReason").asText().startsWith("NOT_IN_COHORT"), outsideRow.toString());
    final WorkerProcess stayed = outside;
    await("the worker outside the cohort stays leased on v1").atMost(DEADLINE)
        .until(() -> stayed.agent().status() == WorkerStatus.LEASED && stayed.agent().state().applied().version() == 1);
    String completedAt = rollout.path("decidedAt").asText();
    assertTrue(Duration.between(Instant.parse(publishedAt(scope, 2)), Instant.parse(completedAt)).compareTo(Duration.ofSeconds(2)) >= 0,
        "completed only after the 2s bake: published " + publishedAt(scope, 2) + ", completed " + completedAt);

    var text = cli("config", "status", "--scope", scope);
    assertEquals(0, text.exitCode(), text.err());
    assertTrue(text.out().lines().anyMatch(l -> l.startsWith("rollout v2 COMPLETED") && l.contains("cohort 50%")
        && l.contains("2 applied, 0 refused, 1 not in cohort")), text.out());

    // A worker pinned to another trust root refuses every version: a real NACK of v3 halts its rollout.
    String v3 = publish(scope, 3, v2, Map.of("cohort", "50%", "bake", "10m"));
    String refuser = idWithBucket(true);
    worker(refuser, scope, foreignTrust());
    JsonNode halted = awaitStatus(scope, "v3 halted by the NACK", s -> "HALTED".equals(s.path("rollout").path("state").asText()));
    assertTrue(halted.path("rollout").path("reason").asText().contains("refused it"), halted.toString());
    EvidenceEvent event = awaitEvidence("rollout.halted", scope + "@3");
    assertEquals(v3, event.getConfigDigest());
    assertTrue(event.getAttributes().get("reason").contains("> 0% allowed"), event.getAttributes().toString());
    assertTrue(Long.parseLong(event.getAttributes().get("refused")) >= 1, event.getAttributes().toString());
    var haltedText = cli("config", "status", "--scope", scope);
    assertTrue(haltedText.out().lines().anyMatch(l -> l.startsWith("rollout v3 HALTED")), haltedText.out());
  }

  private String idWithBucket(boolean inside) {
    while (true) {
      String id = "ro-" + Long.toHexString(seeded.nextLong());
      if ((RolloutTarget.bucket(id) < 50) == inside) {
        return id;
      }
    }
  }

  private WorkerProcess worker(String id, String scope, Path trustFile) {
    WorkerProcess w = WorkerProcess.start(Map.of("quartet.kafka.bootstrap-servers", bootstrap, "quartet.worker.id", id,
        "quartet.worker.queue", scope + "/main", "quartet.worker.trust-file", trustFile.toString(),
        "quartet.worker.tick-interval", "200ms"));
    workers.add(w);
    return w;
  }

  /** A valid trust root that does not list the development key: its worker NACKs every version as under-signed. */
  private Path foreignTrust() throws Exception {
    SecureRandom random = new SecureRandom();
    AdminKeyPair a = AdminKeyPair.generate(random);
    AdminKeyPair b = AdminKeyPair.generate(random);
    Map<String, Integer> thresholds = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 1));
    TrustRoot root = new TrustRoot(1, Instant.now().plus(Duration.ofDays(365)), Set.of(a.publicKey(), b.publicKey()), 1,
        thresholds, Set.of(), Set.of());
    return Files.write(dir.resolve("foreign-trust.json"), root.signedBy(List.of(a, b)).toJsonFile());
  }

  @SuppressWarnings("unchecked")
  private String publish(String scope, long version, String parent, Map<String, Object> rollout) throws Exception {
    Map<String, Object> doc = ConfigDocuments.fromYaml(ConfigDocuments.referenceYaml());
    doc.put("scope", scope);
    doc.put("version", version);
    doc.put("parent", parent);
    if (rollout != null) {
      ((Map<String, Object>) doc.get("body")).put("rollout", rollout);
    }
    DsseEnvelope envelope = ConfigDocuments.sign(doc, trust.adminKey(), null, Instant.now());
    Path file = Files.write(dir.resolve("snap-" + version + ".dsse.json"), envelope.toJsonFile());
    var published = cli("--output", "json", "config", "publish", file.toString());
    assertEquals(0, published.exitCode(), "publish v" + version + "; stderr: " + published.err());
    return JSON.readTree(published.out().strip()).path("digest").asText();
  }

  private String publishedAt(String scope, long version) throws Exception {
    var r = cli("--output", "json", "config", "get", "--scope", scope, "--version", Long.toString(version));
    return JSON.readTree(r.out().strip()).path("publishedAt").asText();
  }

  private JsonNode awaitStatus(String scope, String what, java.util.function.Predicate<JsonNode> until) {
    JsonNode[] last = new JsonNode[1];
    await(what).atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      var r = cli("--output", "json", "config", "status", "--scope", scope);
      assertEquals(0, r.exitCode(), r.err());
      last[0] = JSON.readTree(r.out().strip());
      assertTrue(until.test(last[0]), what + "; status was " + last[0]);
    });
    return last[0];
  }

  private static JsonNode row(JsonNode status, String id) {
    for (JsonNode w : status.path("workers")) {
      if (id.equals(w.path("id").asText())) {
        return w;
      }
    }
    return JSON.createObjectNode();
  }

  private static long applied(JsonNode status, String id) {
    return row(status, id).path("appliedVersion").asLong(-1);
  }

  private EvidenceEvent awaitEvidence(String type, String correlationId) {
    EventCodec codec = EventCodec.standard();
    List<EvidenceEvent> found = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
        "isolation.level", "read_committed", "auto.offset.reset", "earliest", "group.id", "rollout-it-" + seeded.nextLong()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TopicCatalog.EVIDENCE_EVENTS));
      await(type + " of " + correlationId).atMost(DEADLINE).until(() -> {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          if (codec.decode(r.value()) instanceof EvidenceEvent e && type.equals(e.getType())
              && correlationId.equals(e.getCorrelationId())) {
            found.add(e);
          }
        }
        return !found.isEmpty();
      });
    }
    return found.get(0);
  }

  private QuartetCommandLineTest.Run cli(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--server";
    all[1] = server;
    System.arraycopy(args, 0, all, 2, args.length);
    return QuartetCommandLineTest.run(env, all);
  }
}

package dev.quartet.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.control.domain.ConfigFixtures;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.ConfigApplied;
import dev.quartet.schemas.ConfigRefused;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.WorkerHeartbeat;
import dev.quartet.schemas.WorkerRegistered;
import dev.quartet.schemas.WorkerState;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker registry and config status through the real HTTP API, fed by real records on the real
 * broker (written as workers write them) and projected into the real database.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerRegistryIT {
  private static final String TOKEN = "registry-it-token";
  private static final String TOKEN_SECRET = "registry-it-secret-0123456789abcdef0123456789abcdef";
  private static final Duration STALE_AFTER = Duration.ofSeconds(3);
  private static final Duration LOST_AFTER = Duration.ofSeconds(6);
  /** Well inside the stale bound, so a pulsed worker never looks stale even on a loaded machine. */
  private static final Duration PULSE = Duration.ofMillis(300);
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final SecureRandom random = new SecureRandom();
  private final AdminKeyPair alice = AdminKeyPair.generate(random);
  private final AdminKeyPair bob = AdminKeyPair.generate(random);
  private final EventCodec codec = EventCodec.standard();
  private final ScheduledExecutorService pulse = Executors.newSingleThreadScheduledExecutor();
  /** Workers kept alive by light heartbeats every {@link #PULSE}: id → (state, task count). */
  private final Map<String, Map.Entry<WorkerState, Integer>> alive = new ConcurrentHashMap<>();
  private PlaneProcess plane;
  private KafkaProducer<byte[], byte[]> producer;
  private String base;

  @BeforeAll
  void start(Infrastructure infra, @TempDir Path dir) throws Exception {
    Map<String, Integer> thresholds = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 2));
    TrustRoot root = new TrustRoot(1, Instant.parse("2030-01-01T00:00:00Z"), Set.of(alice.publicKey(), bob.publicKey()), 1,
        thresholds, Set.of(), Set.of());
    Path trust = Files.write(dir.resolve("trust.json"), root.signedBy(List.of(alice, bob)).toJsonFile());
    infra.database().provisionOwner("quartet_control", "control-secret", "control");
    String bootstrap = infra.kafkaBootstrap();
    plane = PlaneProcess.start(EnumSet.of(Plane.CONTROL), Map.ofEntries(
        Map.entry("micronaut.server.port", -1),
        Map.entry("quartet.kafka.bootstrap-servers", bootstrap),
        Map.entry("quartet.kafka.broker-count", 1),
        Map.entry("quartet.security.admin-token", TOKEN),
        Map.entry("quartet.security.token-secret", TOKEN_SECRET),
        Map.entry("quartet.control.trust-file", trust.toString()),
        Map.entry("quartet.control.workers.stale-after", STALE_AFTER.toMillis() + "ms"),
        Map.entry("quartet.control.workers.lost-after", LOST_AFTER.toMillis() + "ms"),
        Map.entry("quartet.control.workers.consumer-group", infra.unique("control-workers")),
        Map.entry("datasources.control.url", infra.jdbcUrl()),
        Map.entry("datasources.control.username", "quartet_control"),
        Map.entry("datasources.control.password", "control-secret")));
    base = plane.url().toString().replaceAll("/$", "");
    producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all"), new ByteArraySerializer(),
        new ByteArraySerializer());
    pulse.scheduleAtFixedRate(() -> alive.forEach((id, beat) -> send(TopicCatalog.WORKER_HEARTBEATS, id,
        light(id, beat.getKey(), beat.getValue()))), 0, PULSE.toMillis(), TimeUnit.MILLISECONDS);
  }

  @AfterAll
  void stop() {
    pulse.shutdownNow();
    if (producer != null) {
      producer.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void aRegisteredWorkerIsListedWithItsNewestHeartbeat(Infrastructure infra) throws Exception {
    String queue = infra.unique("acme") + "/dev/main";
    String id = infra.unique("worker");
    String digest = "d".repeat(64);
    send(TopicCatalog.WORKER_REGISTRATIONS, id, registered(id, queue, Map.of("zone", "a", "gpu", "true"), 4));
    send(TopicCatalog.WORKER_HEARTBEATS, id, WorkerHeartbeat.newBuilder().setWorkerId(id).setState(WorkerState.READY)
        .setTaskCount(1).setFull(true).setCapacity(4).setAppliedConfigVersion(7L).setAppliedConfigDigest(digest)
        .setSentAt(Instant.now()).build());
    alive.put(id, Map.entry(WorkerState.READY, 1));
    try {
      await("worker " + id + " listed READY").atMost(DEADLINE).untilAsserted(() -> {
        JsonNode w = only(workers(TOKEN, "?queue=" + queue), id);
        assertEquals(queue, w.path("queue").asText(), w.toString());
        assertEquals(Map.of("gpu", "true", "zone", "a"), JSON.convertValue(w.path("labels"), Map.class), w.toString());
        assertEquals(4, w.path("capacity").asInt(), w.toString());
        assertEquals("READY", w.path("state").asText(), w.toString());
        assertEquals(1, w.path("taskCount").asInt(), w.toString());
        assertEquals(7, w.path("appliedConfigVersion").asLong(), "the full heartbeat's applied config: " + w);
        assertEquals(digest, w.path("appliedConfigDigest").asText(), w.toString());
      });
      alive.put(id, Map.entry(WorkerState.BUSY, 3));
      await("worker " + id + " listed BUSY").atMost(DEADLINE).untilAsserted(() -> {
        JsonNode w = only(workers(TOKEN, "?queue=" + queue), id);
        assertEquals("BUSY", w.path("state").asText(), w.toString());
        assertEquals(3, w.path("taskCount").asInt(), w.toString());
        assertEquals(7, w.path("appliedConfigVersion").asLong(), "a light heartbeat keeps the applied config: " + w);
      });
    } finally {
      alive.remove(id);
    }
  }

  @Test
  void aSilentWorkerIsShownStaleThenLost(Infrastructure infra) throws Exception {
    String queue = infra.unique("acme") + "/dev/main";
    String id = infra.unique("worker");
    send(TopicCatalog.WORKER_REGISTRATIONS, id, registered(id, queue, Map.of(), 2));
    alive.put(id, Map.entry(WorkerState.READY, 0));
    await("worker " + id + " READY while it heartbeats").atMost(DEADLINE)
        .untilAsserted(() -> assertEquals("READY", only(workers(TOKEN, "?queue=" + queue), id).path("state").asText()));
    alive.remove(id);
    await("worker " + id + " STALE after " + STALE_AFTER + " of silence").atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertEquals("STALE", only(workers(TOKEN, "?queue=" + queue), id).path("state").asText()));
    await("worker " + id + " LOST after " + LOST_AFTER + " of silence").atMost(DEADLINE).untilAsserted(() -> {
      JsonNode w = only(workers(TOKEN, "?queue=" + queue), id);
      assertEquals("LOST", w.path("state").asText(), w.toString());
      assertEquals("READY", w.path("reportedState").asText(), "its last word is kept: " + w);
    });
  }

  @Test
  void aTenantSeesOnlyItsOwnWorkers(Infrastructure infra) throws Exception {
    String tenantA = infra.unique("acme");
    String tenantB = infra.unique("globex");
    String a = infra.unique("worker");
    String b = infra.unique("worker");
    send(TopicCatalog.WORKER_REGISTRATIONS, a, registered(a, tenantA + "/dev/main", Map.of(), 1));
    send(TopicCatalog.WORKER_REGISTRATIONS, b, registered(b, tenantB + "/prod/main", Map.of(), 1));
    await("both workers listed for the admin").atMost(DEADLINE).untilAsserted(() -> {
      List<String> ids = ids(workers(TOKEN, ""));
      assertTrue(ids.contains(a) && ids.contains(b), "admin sees every tenant: " + ids);
    });
    String auditorA = auditorOf(tenantA);
    List<String> seenByA = ids(workers(auditorA, ""));
    assertTrue(seenByA.contains(a), "tenant A sees its worker: " + seenByA);
    assertFalse(seenByA.contains(b), "tenant A must not see tenant B's worker: " + seenByA);
    assertEquals(List.of(), ids(workers(auditorA, "?queue=" + tenantB + "/prod")), "another tenant's queue looks empty");
    assertEquals(List.of(a), ids(workers(auditorA, "?queue=" + tenantA + "/dev/main")));
    List<String> seenByB = ids(workers(auditorOf(tenantB), ""));
    assertTrue(seenByB.contains(b) && !seenByB.contains(a), "tenant B sees its own worker only: " + seenByB);

    assertEquals(404, get("/v1/config/status?scope=" + tenantB + "/prod", auditorA).statusCode(),
        "another tenant's config status answers as missing");
    assertEquals(200, get("/v1/config/status?scope=" + tenantA + "/dev", auditorA).statusCode(), "its own scope's status");
    assertEquals(401, get("/v1/workers", null).statusCode(), "the registry needs a token");
    assertEquals(403, get("/v1/workers", minted("SUBMITTER", tenantA)).statusCode(), "only ADMIN and AUDITOR read the registry");
    assertEquals(400, get("/v1/workers?queue=Not_A_Queue", TOKEN).statusCode(), "a malformed queue filter is refused");
  }

  @Test
  void configStatusShowsTheHeadAndEachWorkersNewestAckAndNack(Infrastructure infra) throws Exception {
    String tenant = infra.unique("acme");
    String scope = tenant + "/dev";
    String applier = infra.unique("w1");
    String refuser = infra.unique("w2");
    String silent = infra.unique("w3");
    String elsewhere = infra.unique("w4");
    String v1 = publish(scope, 1, "");
    for (String id : List.of(applier, refuser, silent)) {
      send(TopicCatalog.WORKER_REGISTRATIONS, id, registered(id, scope + "/main", Map.of(), 1));
    }
    send(TopicCatalog.WORKER_REGISTRATIONS, elsewhere, registered(elsewhere, tenant + "/prod/main", Map.of(), 1));
    send(TopicCatalog.CONFIG_ACKS, applier, applied(applier, scope, 1, v1, Instant.now()));
    send(TopicCatalog.CONFIG_ACKS, refuser, ConfigRefused.newBuilder().setWorkerId(refuser).setScope(scope).setVersion(1)
        .setDigest(v1).setReason("THRESHOLD_NOT_MET: 1 of 2 signatures").setRefusedAt(Instant.now()).build());
    send(TopicCatalog.CONFIG_ACKS, elsewhere, applied(elsewhere, tenant + "/prod", 1, v1, Instant.now()));

    await("status of " + scope + " at v1").atMost(DEADLINE).untilAsserted(() -> {
      JsonNode status = status(scope);
      assertEquals(1, status.path("version").asLong(), status.toString());
      assertEquals(v1, status.path("digest").asText(), status.toString());
      assertEquals(List.of(applier, refuser, silent), ids(status.path("workers")), "the scope's workers only: " + status);
      JsonNode w1 = only(status.path("workers"), applier);
      assertEquals(1, w1.path("appliedVersion").asLong(), w1.toString());
      assertEquals(v1, w1.path("appliedDigest").asText(), w1.toString());
      assertTrue(w1.hasNonNull("lastAckAt") && w1.path("onHead").asBoolean(), "acked the head: " + w1);
      JsonNode w2 = only(status.path("workers"), refuser);
      assertEquals(1, w2.path("lastNackVersion").asLong(), w2.toString());
      assertTrue(w2.path("lastNackReason").asText().startsWith("THRESHOLD_NOT_MET"), w2.toString());
      assertFalse(w2.hasNonNull("appliedVersion") || w2.path("onHead").asBoolean(), "refused, applied nothing: " + w2);
      JsonNode w3 = only(status.path("workers"), silent);
      assertFalse(w3.hasNonNull("appliedVersion") || w3.path("onHead").asBoolean(), "never reported: " + w3);
    });

    String v2 = publish(scope, 2, v1);
    await("v2 is the head and " + applier + " is behind it").atMost(DEADLINE).untilAsserted(() -> {
      JsonNode status = status(scope);
      assertEquals(2, status.path("version").asLong(), status.toString());
      assertFalse(only(status.path("workers"), applier).path("onHead").asBoolean(), status.toString());
    });
    Instant appliedV2 = Instant.now();
    send(TopicCatalog.CONFIG_ACKS, applier, applied(applier, scope, 2, v2, appliedV2));
    // A redelivered older ACK must not hide the newer one; the NACK after it (same key, same
    // partition, so consumed after it) tells when it has been handled.
    send(TopicCatalog.CONFIG_ACKS, applier, applied(applier, scope, 1, v1, appliedV2.minusSeconds(60)));
    send(TopicCatalog.CONFIG_ACKS, applier, ConfigRefused.newBuilder().setWorkerId(applier).setScope(scope).setVersion(3)
        .setDigest("e".repeat(64)).setReason("VERSION_GAP: no parent").setRefusedAt(appliedV2.plusMillis(1)).build());
    await(applier + " on v2 after its ACK").atMost(DEADLINE).untilAsserted(() -> {
      JsonNode w1 = only(status(scope).path("workers"), applier);
      assertEquals(3, w1.path("lastNackVersion").asLong(), w1.toString());
      assertEquals(2, w1.path("appliedVersion").asLong(), "the older redelivered ACK was ignored: " + w1);
      assertTrue(w1.path("onHead").asBoolean(), w1.toString());
    });
  }

  private String publish(String scope, long version, String parent) throws Exception {
    DsseEnvelope envelope = ConfigFixtures.signed(ConfigFixtures.doc(scope, version, parent, "2030-01-01T00:00:00Z",
        ConfigFixtures.body("127.0.0.1:18080")), alice, bob);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/config/snapshots"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(envelope.toJson())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return JSON.readTree(r.body()).path("digest").asText();
  }

  private String auditorOf(String tenant) throws Exception {
    return minted("AUDITOR", tenant);
  }

  /** A real API token minted by the plane with one {@code role}, scoped to {@code tenant}. */
  private String minted(String role, String tenant) throws Exception {
    byte[] body = JSON.writeValueAsBytes(Map.of("subject", role.toLowerCase() + "-" + tenant, "roles", List.of(role),
        "tenant", tenant, "ttl", "1h"));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/tokens"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return JSON.readTree(r.body()).path("token").asText();
  }

  private JsonNode status(String scope) throws Exception {
    HttpResponse<String> r = get("/v1/config/status?scope=" + scope, TOKEN);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private JsonNode workers(String token, String query) throws Exception {
    HttpResponse<String> r = get("/v1/workers" + query, token);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode only(JsonNode array, String id) {
    List<JsonNode> found = new ArrayList<>();
    array.forEach(n -> {
      if (id.equals(n.path("id").asText())) {
        found.add(n);
      }
    });
    assertEquals(1, found.size(), "exactly one entry for " + id + " in " + array);
    assertNotNull(found.get(0));
    return found.get(0);
  }

  private static List<String> ids(JsonNode array) {
    List<String> ids = new ArrayList<>();
    array.forEach(n -> ids.add(n.path("id").asText()));
    return ids;
  }

  private static WorkerRegistered registered(String id, String queue, Map<String, String> labels, int capacity) {
    return WorkerRegistered.newBuilder().setWorkerId(id).setQueue(queue).setLabels(labels).setCapacity(capacity)
        .setRegisteredAt(Instant.now()).build();
  }

  private static WorkerHeartbeat light(String id, WorkerState state, int tasks) {
    return WorkerHeartbeat.newBuilder().setWorkerId(id).setState(state).setTaskCount(tasks).setFull(false)
        .setSentAt(Instant.now()).build();
  }

  private static ConfigApplied applied(String id, String scope, long version, String digest, Instant at) {
    return ConfigApplied.newBuilder().setWorkerId(id).setScope(scope).setVersion(version).setDigest(digest).setAppliedAt(at).build();
  }

  /** Keyed by worker id, as workers write: one worker's records stay in order on one partition. */
  private void send(String topic, String workerId, SpecificRecord event) {
    producer.send(new ProducerRecord<>(topic, workerId.getBytes(StandardCharsets.UTF_8), codec.encode(event)));
  }
}

package dev.quartet.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.config.ConfigSnapshot;
import dev.quartet.contracts.config.SnapshotCheck;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.data.domain.AppliedConfig;
import dev.quartet.data.kafka.ConfigSnapshotFollower;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.ConfigSnapshotPublished;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.PayloadQuarantined;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.quartet.data.DataPlaneClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routes and quarantine from the signed config: snapshots are written straight onto
 * {@code quartet.config.snapshots}, as the control plane would, and the data plane must verify each
 * one itself against its pinned trust root.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PayloadRoutesIT {
  private static final String FAR = "2030-01-01T00:00:00Z";
  private static final int ROUTE_LIMIT = 64 * 1024;
  private final SecureRandom keys = new SecureRandom();
  private final AdminKeyPair alice = AdminKeyPair.generate(keys);
  private final AdminKeyPair bob = AdminKeyPair.generate(keys);
  private final Random random = new Random(11);
  private final EventCodec codec = EventCodec.standard();
  private String scope;
  private PlaneProcess plane;
  private DataPlaneClient client;
  private KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  void start(Infrastructure infra, @TempDir Path dir) throws Exception {
    scope = infra.unique("routes") + "/dev";
    Map<String, Integer> thresholds = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 2));
    TrustRoot root = new TrustRoot(1, Instant.parse(FAR), Set.of(alice.publicKey(), bob.publicKey()), 1, thresholds, Set.of(), Set.of());
    Path trustFile = Files.write(dir.resolve("trust.json"), root.signedBy(List.of(alice, bob)).toJsonFile());
    infra.database().provisionOwner("quartet_data", "data-secret", "data");
    plane = PlaneProcess.start(EnumSet.of(Plane.DATA), Map.ofEntries(
        Map.entry("micronaut.server.port", -1),
        Map.entry("quartet.kafka.bootstrap-servers", infra.kafkaBootstrap()),
        Map.entry("quartet.kafka.broker-count", 1),
        Map.entry("quartet.security.admin-token", "routes-it-token"),
        Map.entry(TestTokenValidator.ENABLED, "true"),
        Map.entry("datasources.data.url", infra.jdbcUrl()),
        Map.entry("datasources.data.username", "quartet_data"),
        Map.entry("datasources.data.password", "data-secret"),
        Map.entry("quartet.data.blob-store.dir", dir.resolve("blobs").toString()),
        Map.entry("quartet.data.encryption.keys-dir", dir.resolve("keys").toString()),
        Map.entry("quartet.data.config.trust-file", trustFile.toString()),
        Map.entry("quartet.data.config.scopes", scope)));
    client = new DataPlaneClient(plane.url().toString().replaceAll("/$", ""), TestTokenValidator.DATA_ALL.token(),
        infra.kafkaBootstrap());
    producer = new KafkaProducer<>(Map.of("bootstrap.servers", infra.kafkaBootstrap(), "acks", "all"),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterAll
  void stop() {
    if (producer != null) {
      producer.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void routesFromTheVerifiedConfigQuarantineWhatBreaksThemUntilReleased() throws Exception {
    ConfigSnapshotFollower follower = plane.context().getBean(ConfigSnapshotFollower.class);
    await("config topic read").atMost(Duration.ofSeconds(30)).until(() -> follower.routes().caughtUp());
    byte[] before = bytes(1000);
    assertFalse(json(client.put("classification=RESTRICTED&route=default", before).body()).path("quarantined").asBoolean(),
        "no config applied yet: static rules");

    // v1 sets policies, so it needs the policy threshold (2): alice and bob.
    DsseEnvelope v1 = signed(doc(1, "", routes(List.of("PUBLIC"))), alice, bob);
    publish(1, v1);
    awaitApplied(follower, 1);

    byte[] secret = bytes(2000);
    String correlation = "quarantine-" + UUID.randomUUID();
    HttpResponse<String> put = client.put("classification=RESTRICTED&route=default", secret, "X-Correlation-Id", correlation);
    assertEquals(201, put.statusCode(), put.body());
    JsonNode held = json(put.body());
    assertTrue(held.path("quarantined").asBoolean(), "RESTRICTED on a PUBLIC-only route: " + held);
    String reason = held.path("quarantineReason").asText();
    assertTrue(reason.contains("RESTRICTED") && reason.contains("default") && reason.contains(scope + "@v1"), reason);
    String id = held.path("id").asText();
    HttpResponse<byte[]> refused = client.get("/v1/payloads/" + id, true);
    assertEquals(403, refused.statusCode(), "held payloads are served to nobody");
    assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("quarantine"));
    assertEquals(403, client.post("/v1/payloads/" + id + "/urls", "{}").statusCode(), "no signed URL around quarantine");

    var event = (PayloadQuarantined) client.read(TopicCatalog.PAYLOAD_EVENTS, (k, e) -> e instanceof PayloadQuarantined q
        && q.getRef().getUri().equals("quartet:payload/" + id)).get(0);
    assertEquals(reason, event.getReason());
    var evidence = (EvidenceEvent) client.read(TopicCatalog.EVIDENCE_EVENTS, (k, e) -> e instanceof EvidenceEvent ev
        && correlation.equals(ev.getCorrelationId()) && "payload.quarantined".equals(ev.getType())).get(0);
    assertEquals(reason, evidence.getAttributes().get("reason"));

    JsonNode unknownRoute = json(client.put("classification=PUBLIC&route=nowhere", bytes(10)).body());
    assertTrue(unknownRoute.path("quarantined").asBoolean(), unknownRoute.toString());
    assertTrue(unknownRoute.path("quarantineReason").asText().contains("nowhere"), unknownRoute.toString());
    assertFalse(json(client.put("classification=RESTRICTED&route=wide", bytes(10)).body()).path("quarantined").asBoolean(),
        "a route that allows RESTRICTED");

    // The route's maxInputBytes replaces the static limit: exactly the limit passes, one byte more is 413.
    assertEquals(201, client.put("classification=PUBLIC&route=default", bytes(ROUTE_LIMIT)).statusCode());
    HttpResponse<String> tooLarge = client.put("classification=PUBLIC&route=default", bytes(ROUTE_LIMIT + 1));
    assertEquals(413, tooLarge.statusCode(), tooLarge.body());
    String detail = json(tooLarge.body()).path("detail").asText();
    assertTrue(detail.contains("route default") && detail.contains(Integer.toString(ROUTE_LIMIT)), detail);

    JsonNode list = json(client.get("/v1/payloads/quarantine").body());
    assertTrue(list.path("payloads").findValuesAsText("ref").contains("quartet:payload/" + id), list.toString());
    assertEquals(403, client.as(TestTokenValidator.GLOBEX.token()).get("/v1/payloads/quarantine").statusCode(), "no DATA_ADMIN");
    assertEquals(403, client.as(TestTokenValidator.GLOBEX.token()).post("/v1/payloads/quarantine/" + id + "/release", "")
        .statusCode(), "no DATA_ADMIN");

    String releaseCorrelation = "release-" + UUID.randomUUID();
    HttpResponse<String> released = client.post("/v1/payloads/quarantine/" + id + "/release", "", "X-Correlation-Id",
        releaseCorrelation);
    assertEquals(200, released.statusCode(), released.body());
    assertFalse(json(released.body()).path("quarantined").asBoolean(), released.body());
    assertArrayEquals(secret, client.get("/v1/payloads/" + id, true).body(), "readable once released");
    assertEquals(409, client.post("/v1/payloads/quarantine/" + id + "/release", "").statusCode(), "released once only");
    var releaseEvidence = (EvidenceEvent) client.read(TopicCatalog.EVIDENCE_EVENTS, (k, e) -> e instanceof EvidenceEvent ev
        && releaseCorrelation.equals(ev.getCorrelationId())).get(0);
    assertEquals("payload.quarantine-released", releaseEvidence.getType());
    assertFalse(json(client.get("/v1/payloads/quarantine").body()).path("payloads").findValuesAsText("ref")
        .contains("quartet:payload/" + id), "no longer listed");

    // A v2 that would allow RESTRICTED but changes policies with one signature, and an unsigned
    // one: both refused by the plane itself, routes unchanged.
    Map<String, Object> wider = routes(List.of("PUBLIC", "RESTRICTED"));
    Map<String, Object> widerWithNewEgress = routes(List.of("PUBLIC", "RESTRICTED"));
    widerWithNewEgress.put("policies", Map.of("egress", Map.of("allow", List.of("10.0.0.9:443"))));
    String parent = ConfigSnapshot.digestOf(v1.payload());
    long refusalsBefore = follower.refusals().count();
    publish(2, signed(doc(2, parent, widerWithNewEgress), alice));
    publish(2, DsseEnvelope.unsigned(ConfigSnapshot.PAYLOAD_TYPE, CanonicalJson.serialize(doc(2, parent, wider))));
    await("both refused").atMost(Duration.ofSeconds(30)).until(() -> follower.refusals().count() >= refusalsBefore + 2);
    assertEquals(SnapshotCheck.Reason.UNDER_SIGNED, follower.refusals().last().reason(), follower.refusals().last().detail());
    assertEquals(1, applied(follower).snapshot().version(), "still version 1");
    assertTrue(json(client.put("classification=RESTRICTED&route=default", bytes(10)).body()).path("quarantined").asBoolean(),
        "routes unchanged by refused snapshots");

    // The same routes change with the policies unchanged needs the scope threshold (1) only.
    publish(2, signed(doc(2, parent, wider), alice));
    awaitApplied(follower, 2);
    JsonNode allowed = json(client.put("classification=RESTRICTED&route=default", secret).body());
    assertFalse(allowed.path("quarantined").asBoolean(), allowed.toString());
    assertArrayEquals(secret, client.get("/v1/payloads/" + allowed.path("id").asText(), true).body());
  }

  private static void awaitApplied(ConfigSnapshotFollower follower, long version) {
    await("config version " + version + " applied").atMost(Duration.ofSeconds(30))
        .until(() -> applied(follower) != null && applied(follower).snapshot().version() == version);
  }

  private static AppliedConfig applied(ConfigSnapshotFollower follower) {
    ConfigScope s = follower.routes().followed().get(0);
    return follower.routes().applied().get(s);
  }

  private Map<String, Object> routes(List<String> defaultClassifications) {
    Map<String, Object> body = new HashMap<>();
    body.put("lease", Map.of("duration", "60s"));
    body.put("degradedMode", Map.of("policy", "read-only"));
    body.put("tools", List.of(Map.of("name", "transform", "kind", "transform")));
    body.put("policies", Map.of("egress", Map.of("allow", List.of("127.0.0.1:18080"))));
    body.put("routes", List.of(
        Map.of("name", "default", "classifications", defaultClassifications, "maxInputBytes", "64KiB"),
        Map.of("name", "wide", "classifications", List.of("PUBLIC", "INTERNAL", "CONFIDENTIAL", "RESTRICTED"))));
    return body;
  }

  private Map<String, Object> doc(long version, String parent, Map<String, Object> body) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("scope", scope);
    doc.put("version", version);
    doc.put("parent", parent);
    doc.put("expiresAt", FAR);
    doc.put("body", body);
    return doc;
  }

  private static DsseEnvelope signed(Map<String, Object> doc, AdminKeyPair... signers) {
    DsseEnvelope env = DsseEnvelope.unsigned(ConfigSnapshot.PAYLOAD_TYPE, CanonicalJson.serialize(doc));
    for (AdminKeyPair k : signers) {
      env = Dsse.sign(env, k);
    }
    return env;
  }

  /** Writes {@code envelope} as the control plane's snapshot log does (minus the transaction). */
  private void publish(long version, DsseEnvelope envelope) throws Exception {
    ConfigSnapshotPublished event = ConfigSnapshotPublished.newBuilder().setScope(scope).setVersion(version)
        .setDigest(ConfigSnapshot.digestOf(envelope.payload())).setParentDigest("").setIssuedAt(Instant.now())
        .setExpiresAt(Instant.parse(FAR)).setEnvelope(ByteBuffer.wrap(envelope.toJson())).build();
    producer.send(new ProducerRecord<>(TopicCatalog.CONFIG_SNAPSHOTS, scope.getBytes(StandardCharsets.UTF_8), codec.encode(event)))
        .get(10, TimeUnit.SECONDS);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}

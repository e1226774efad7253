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
import dev.quartet.schemas.ConfigSnapshotPublished;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publishing through the real HTTP API onto the real broker and database, one scope per test. */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigPublishIT {
  private static final String TOKEN = "control-it-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final SecureRandom random = new SecureRandom();
  private final AdminKeyPair alice = AdminKeyPair.generate(random);
  private final AdminKeyPair bob = AdminKeyPair.generate(random);
  private final AdminKeyPair leaseKey = AdminKeyPair.generate(random);
  private TrustRoot root;
  private PlaneProcess plane;
  private String base;
  private String bootstrap;

  @BeforeAll
  void startControlPlane(Infrastructure infra, @TempDir Path dir) throws Exception {
    java.util.Map<String, Integer> thresholds = new java.util.TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 2));
    root = new TrustRoot(1, Instant.parse("2030-01-01T00:00:00Z"), java.util.Set.of(alice.publicKey(), bob.publicKey()), 1,
        thresholds, java.util.Set.of(leaseKey.publicKey()), java.util.Set.of());
    dev.quartet.contracts.trust.KeyFiles.writeNew(leaseKey, dir.resolve("lease"));
    Path trust = Files.write(dir.resolve("trust.json"), root.signedBy(List.of(alice, bob)).toJsonFile());
    infra.database().provisionOwner("quartet_control", "control-secret", "control");
    bootstrap = infra.kafkaBootstrap();
    plane = PlaneProcess.start(EnumSet.of(Plane.CONTROL), Map.of(
        "micronaut.server.port", -1,
        "quartet.kafka.bootstrap-servers", bootstrap,
        "quartet.kafka.broker-count", 1,
        "quartet.security.admin-token", TOKEN,
        "quartet.control.trust-file", trust.toString(),
        "quartet.control.lease.key-file", dir.resolve("lease.key").toString(),
        "datasources.control.url", infra.jdbcUrl(),
        "datasources.control.username", "quartet_control",
        "datasources.control.password", "control-secret"));
    base = plane.url().toString().replaceAll("/$", "");
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  private HttpResponse<String> publish(DsseEnvelope envelope) throws Exception {
    return publish(envelope.toJson());
  }

  private HttpResponse<String> publish(byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/config/snapshots"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static DsseEnvelope version(String scope, long version, String parent, AdminKeyPair... keys) {
    return version(scope, version, parent, ConfigFixtures.body("127.0.0.1:18080"), keys);
  }

  private static DsseEnvelope version(String scope, long version, String parent, Map<String, Object> body, AdminKeyPair... keys) {
    return ConfigFixtures.signed(ConfigFixtures.doc(scope, version, parent, "2030-01-01T00:00:00Z", body), keys);
  }

  @Test
  void anAcceptedVersionIsStoredLoggedAndReadable() throws Exception {
    HttpResponse<String> created = publish(version("acme-1/dev", 1, "", alice, bob));
    assertEquals(201, created.statusCode(), created.body());
    String digest = JSON.readTree(created.body()).path("digest").asText();

    HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/config/snapshots/acme-1/dev"))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, head.statusCode(), head.body());
    assertEquals(digest, JSON.readTree(head.body()).path("digest").asText());

    List<Object> log = readCommitted(TopicCatalog.CONFIG_SNAPSHOTS, e -> e instanceof ConfigSnapshotPublished p
        && p.getScope().equals("acme-1/dev"));
    assertEquals(digest, ((ConfigSnapshotPublished) log.get(0)).getDigest(), "the config topic holds the accepted snapshot");
  }

  @Test
  void theProjectionRebuiltFromTheConfigTopicHoldsTheSameVersions() throws Exception {
    HttpResponse<String> v1 = publish(version("rebuild-1/dev", 1, "", alice, bob));
    assertEquals(201, v1.statusCode(), v1.body());
    HttpResponse<String> v2 = publish(version("rebuild-1/dev", 2, JSON.readTree(v1.body()).path("digest").asText(), alice, bob));
    assertEquals(201, v2.statusCode(), v2.body());
    String before = versions("rebuild-1/dev");

    HttpResponse<String> rebuilt = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/config/admin/rebuild"))
        .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, rebuilt.statusCode(), rebuilt.body());
    JsonNode r = JSON.readTree(rebuilt.body());
    assertEquals("control", r.path("plane").asText());
    assertTrue(r.path("rows").asLong() >= 2, "at least this test's two versions rebuilt: " + r);
    assertEquals(before, versions("rebuild-1/dev"), "the same versions, digests, parents and signers after the rebuild");
  }

  /** Version, digest, parent and signers of a scope's history, one line each. */
  private String versions(String scope) throws Exception {
    HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/config/history/" + scope))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, h.statusCode(), h.body());
    StringBuilder out = new StringBuilder();
    for (JsonNode v : JSON.readTree(h.body())) {
      out.append(v.path("version").asLong()).append(' ').append(v.path("digest").asText()).append(' ')
          .append(v.path("parent").asText()).append(' ').append(v.path("signers")).append('\n');
    }
    assertTrue(out.length() > 0, "history of " + scope);
    return out.toString();
  }

  @Test
  void aPublishedHeadGetsALeaseTokenWorkersCanVerify() throws Exception {
    HttpResponse<String> created = publish(version("acme-4/dev", 1, "", alice, bob));
    assertEquals(201, created.statusCode(), created.body());
    String digest = JSON.readTree(created.body()).path("digest").asText();
    List<Object> tokens = readCommitted(TopicCatalog.CONFIG_LEASE_TOKENS, e -> e instanceof dev.quartet.schemas.LeaseTokenIssued t
        && t.getScope().equals("acme-4/dev"));
    var issued = (dev.quartet.schemas.LeaseTokenIssued) tokens.get(0);
    assertEquals(digest, issued.getHeadDigest());
    byte[] sig = new byte[issued.getSignature().remaining()];
    issued.getSignature().duplicate().get(sig);
    var token = new dev.quartet.contracts.trust.LeaseToken(issued.getScope(), issued.getHeadVersion(), issued.getHeadDigest(),
        issued.getIssuedAt(), issued.getExpiresAt(), new dev.quartet.contracts.trust.KeyId(issued.getKeyId()), sig);
    assertTrue(token.verify(root, Instant.now(), Duration.ofSeconds(5)).isVerified(), "the token verifies against the trust root");
  }

  @Test
  void aRejectionIsAProblemAndAnEvidenceEvent() throws Exception {
    HttpResponse<String> refused = publish(version("acme-2/dev", 1, "", alice));  // policies need 2 of 2
    assertEquals(403, refused.statusCode(), refused.body());
    assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
    assertTrue(JSON.readTree(refused.body()).path("detail").asText().startsWith("THRESHOLD_NOT_MET"), refused.body());

    List<Object> evidence = readCommitted(TopicCatalog.EVIDENCE_EVENTS, e -> e instanceof EvidenceEvent ev
        && ev.getType().equals("config.rejected") && "acme-2".equals(ev.getTenant()));
    assertEquals("THRESHOLD_NOT_MET", ((EvidenceEvent) evidence.get(0)).getAttributes().get("reason"));
  }

  @Test
  void aMalformedBodyIsA400NamingTheFieldPathAndAnEvidenceEvent() throws Exception {
    Map<String, Object> body = ConfigFixtures.body("127.0.0.1:18080");
    body.put("routes", List.of(Map.of("name", "default", "classifications", List.of("PUBLIC"), "maxInputBytes", "lots")));
    HttpResponse<String> refused = publish(version("acme-5/dev", 1, "", body, alice, bob));
    assertEquals(400, refused.statusCode(), refused.body());
    assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
    assertEquals("MALFORMED: body.routes[0].maxInputBytes: must be a size such as 10MiB",
        JSON.readTree(refused.body()).path("detail").asText(), refused.body());

    List<Object> evidence = readCommitted(TopicCatalog.EVIDENCE_EVENTS, e -> e instanceof EvidenceEvent ev
        && ev.getType().equals("config.rejected") && "MALFORMED".equals(ev.getAttributes().get("reason"))
        && ev.getAttributes().get("detail").startsWith("body.routes[0].maxInputBytes"));
    assertEquals("rejected", ((EvidenceEvent) evidence.get(0)).getOutcome());
  }

  @Test
  void theBodySchemaIsPublished() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/config/schema"))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("https://json-schema.org/draft/2020-12/schema", JSON.readTree(r.body()).path("$schema").asText(), r.body());
  }

  @Test
  void ofTwoConcurrentPublishesOfOneVersionExactlyOneWins() throws Exception {
    assertEquals(201, publish(version("acme-3/dev", 1, "", alice, bob)).statusCode());
    String head = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/config/snapshots/acme-3/dev"))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body()).path("digest").asText();
    var first = ConfigFixtures.signed(ConfigFixtures.doc("acme-3/dev", 2, head, "2030-01-01T00:00:00Z",
        withLease(ConfigFixtures.body("127.0.0.1:18080"), "30s")), alice);
    var second = ConfigFixtures.signed(ConfigFixtures.doc("acme-3/dev", 2, head, "2030-01-01T00:00:00Z",
        withLease(ConfigFixtures.body("127.0.0.1:18080"), "45s")), bob);
    List<CompletableFuture<Integer>> races = new ArrayList<>();
    for (DsseEnvelope e : List.of(first, second)) {
      races.add(CompletableFuture.supplyAsync(() -> {
        try {
          return publish(e).statusCode();
        } catch (Exception ex) {
          throw new IllegalStateException(ex);
        }
      }));
    }
    List<Integer> statuses = races.stream().map(CompletableFuture::join).sorted().toList();
    assertEquals(List.of(201, 409), statuses, "one created, one conflict");
  }

  @Test
  void anOversizedEnvelopeIsRefusedWith413() throws Exception {
    byte[] big = new byte[1024 * 1024 + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    HttpResponse<String> r = publish(big);
    assertEquals(413, r.statusCode(), r.body());
    assertTrue(r.body().contains("1048576"), "names the limit: " + r.body());
    byte[] huge = new byte[3 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    HttpResponse<String> beyondBuffer = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/config/snapshots"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(413, beyondBuffer.statusCode(), "a body beyond the server's buffer is refused, not hung: " + beyondBuffer.body());
  }

  @Test
  void everyConfigApiNeedsAToken() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/config/history/acme-1/dev")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode());
  }

  private static Map<String, Object> withLease(Map<String, Object> body, String duration) {
    body.put("lease", Map.of("duration", duration));
    return body;
  }

  private List<Object> readCommitted(String topic, java.util.function.Predicate<Object> wanted) {
    EventCodec codec = EventCodec.standard();
    List<Object> found = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
        "isolation.level", "read_committed", "auto.offset.reset", "earliest", "group.id", "it-" + random.nextLong()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      await("matching record on " + topic).atMost(Duration.ofSeconds(30)).until(() -> {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          Object e = codec.decode(r.value());
          if (wanted.test(e)) {
            found.add(e);
          }
        }
        return !found.isEmpty();
      });
    }
    return found;
  }
}

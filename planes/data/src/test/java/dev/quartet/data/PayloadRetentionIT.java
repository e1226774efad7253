package dev.quartet.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.config.ConfigSnapshot;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.data.domain.AppliedConfig;
import dev.quartet.data.domain.BlobKey;
import dev.quartet.data.domain.Sha256;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.PayloadLocation;
import dev.quartet.data.kafka.ConfigSnapshotFollower;
import dev.quartet.data.kafka.PayloadEvidence;
import dev.quartet.data.store.LocalBlobStore;
import dev.quartet.data.store.PayloadIndex;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.ConfigSnapshotPublished;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import io.micronaut.inject.qualifiers.Qualifiers;
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
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import static dev.quartet.data.DataPlaneClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Payload retention from the signed config (issue #6 item 11): tenant acme's scope keeps payloads
 * 2s, globex's keeps them until its v2 says 2s too. The same bytes stored by both share one blob,
 * which must outlive acme's payload and go with globex's.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PayloadRetentionIT {
  private static final String FAR = "2030-01-01T00:00:00Z";
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private final SecureRandom keys = new SecureRandom();
  private final AdminKeyPair alice = AdminKeyPair.generate(keys);
  private final AdminKeyPair bob = AdminKeyPair.generate(keys);
  private final Random random = new Random(611);
  private final EventCodec codec = EventCodec.standard();
  private String acmeScope;
  private String globexScope;
  private PlaneProcess plane;
  private DataPlaneClient acme;
  private DataPlaneClient globex;
  private KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  void start(Infrastructure infra, @TempDir Path dir) throws Exception {
    String environment = infra.unique("retention");
    acmeScope = TestTokenValidator.ACME.tenant() + "/" + environment;
    globexScope = TestTokenValidator.GLOBEX.tenant() + "/" + environment;
    Map<String, Integer> thresholds = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 2));
    TrustRoot root = new TrustRoot(1, Instant.parse(FAR), Set.of(alice.publicKey(), bob.publicKey()), 1, thresholds, Set.of(), Set.of());
    Path trustFile = Files.write(dir.resolve("trust.json"), root.signedBy(List.of(alice, bob)).toJsonFile());
    infra.database().provisionOwner("quartet_data", "data-secret", "data");
    plane = PlaneProcess.start(EnumSet.of(Plane.DATA), Map.ofEntries(
        Map.entry("micronaut.server.port", -1),
        Map.entry("quartet.kafka.bootstrap-servers", infra.kafkaBootstrap()),
        Map.entry("quartet.kafka.broker-count", 1),
        Map.entry("quartet.security.admin-token", "retention-it-token"),
        Map.entry(TestTokenValidator.ENABLED, "true"),
        Map.entry("datasources.data.url", infra.jdbcUrl()),
        Map.entry("datasources.data.username", "quartet_data"),
        Map.entry("datasources.data.password", "data-secret"),
        Map.entry("quartet.data.blob-store.dir", dir.resolve("blobs").toString()),
        Map.entry("quartet.data.encryption.keys-dir", dir.resolve("keys").toString()),
        Map.entry("quartet.data.config.trust-file", trustFile.toString()),
        Map.entry("quartet.data.config.scopes", acmeScope + "," + globexScope),
        Map.entry("quartet.data.retention.interval", "200ms"),
        // Small batches, so one sweep runs several index transactions.
        Map.entry("quartet.data.retention.batch-size", 1)));
    DataPlaneClient admin = new DataPlaneClient(plane.url().toString().replaceAll("/$", ""),
        TestTokenValidator.DATA_ALL.token(), infra.kafkaBootstrap());
    acme = admin.as(TestTokenValidator.ACME.token());
    globex = admin.as(TestTokenValidator.GLOBEX.token());
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
  void payloadsPastTheirConfigsRetentionAreRetiredAndASharedBlobGoesWithItsLastReference() throws Exception {
    ConfigSnapshotFollower follower = plane.context().getBean(ConfigSnapshotFollower.class);
    await("config topic read").atMost(DEADLINE).until(() -> follower.routes().caughtUp());
    publish(acmeScope, 1, signed(doc(acmeScope, 1, "", body("2s"))));
    DsseEnvelope globexV1 = signed(doc(globexScope, 1, "", body(null)));
    publish(globexScope, 1, globexV1);
    awaitApplied(follower, acmeScope, 1);
    awaitApplied(follower, globexScope, 1);

    // globex stores first, so its payload holds the shared blob whenever acme's is retired.
    byte[] shared = bytes(300_000);
    String kept = stored(globex.put("classification=PUBLIC&route=default", shared));
    String blob = stored(acme.put("classification=PUBLIC&route=default", shared));
    byte[] small = bytes(500);
    String inline = stored(acme.put("classification=PUBLIC&route=default", small));
    PayloadIndex index = plane.context().getBean(PayloadIndex.class);
    var sharedKey = assertInstanceOf(PayloadLocation.Blob.class, index.find(PayloadId.parse(blob)).orElseThrow().location()).key();
    assertEquals(new PayloadLocation.Blob(sharedKey), index.find(PayloadId.parse(kept)).orElseThrow().location(),
        "the same bytes share one content-addressed blob");
    assertTrue(index.find(PayloadId.parse(inline)).orElseThrow().inline());
    Path blobFile = plane.context().getBean(LocalBlobStore.class).pathOf(sharedKey);
    assertTrue(Files.isRegularFile(blobFile));

    await("acme's payloads retired").atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
        .until(() -> acme.get("/v1/payloads/" + blob, true).statusCode() == 404
            && acme.get("/v1/payloads/" + inline, true).statusCode() == 404);
    for (String id : List.of(blob, inline)) {
      HttpResponse<byte[]> gone = acme.get("/v1/payloads/" + id, true);
      String problem = new String(gone.body(), StandardCharsets.UTF_8);
      assertEquals(404, gone.statusCode());
      assertTrue(problem.contains("retention") && problem.contains(acmeScope + "@v1"), problem);
      assertTrue(gone.headers().firstValue("content-type").orElse("").contains("problem"), "a problem, never bytes: "
          + gone.headers());
      assertEquals(404, acme.get("/v1/payloads/" + id).statusCode(), "the description is gone too");
      HttpResponse<byte[]> otherTenant = globex.get("/v1/payloads/" + id, true);
      assertEquals(404, otherTenant.statusCode());
      assertFalse(new String(otherTenant.body(), StandardCharsets.UTF_8).contains("retention"),
          "another tenant learns nothing of a retired payload either");
    }
    assertTrue(Files.isRegularFile(blobFile), "globex's payload still references the shared blob");
    assertFalse(index.releaseBlob(sharedKey, () -> {
      throw new AssertionError("a blob with a live reference must not be removed");
    }), "the removal re-checks the references");
    assertArrayEquals(shared, globex.get("/v1/payloads/" + kept, true).body(), "and is still served whole");
    EvidenceEvent blobEvidence = retentionEvidence(blob);
    assertEquals("false", blobEvidence.getAttributes().get("blobReleased"), "shared: the blob stays");
    assertEquals("false", blobEvidence.getAttributes().get("inline"));
    assertEquals("2", blobEvidence.getAttributes().get("retentionSeconds"));
    assertEquals(TestTokenValidator.ACME.tenant(), blobEvidence.getTenant());
    assertTrue(blobEvidence.getAttributes().get("config").startsWith(acmeScope + "@v1#"), blobEvidence.toString());
    EvidenceEvent inlineEvidence = retentionEvidence(inline);
    assertEquals("true", inlineEvidence.getAttributes().get("inline"));
    assertEquals("false", inlineEvidence.getAttributes().get("blobReleased"), "inline: only the index row goes");

    // globex's v2 brings a retention too: its payload, the blob's last reference, goes with the blob.
    publish(globexScope, 2, signed(doc(globexScope, 2, ConfigSnapshot.digestOf(globexV1.payload()), body("2s"))));
    awaitApplied(follower, globexScope, 2);
    await("globex's payload retired").atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
        .until(() -> globex.get("/v1/payloads/" + kept, true).statusCode() == 404);
    assertFalse(Files.exists(blobFile), "the blob is removed with its last reference");
    EvidenceEvent last = retentionEvidence(kept);
    assertEquals("true", last.getAttributes().get("blobReleased"));
    assertTrue(last.getAttributes().get("config").startsWith(globexScope + "@v2#"), last.toString());
    assertEquals(PayloadRetentionSweeper.PRINCIPAL, last.getAttributes().get("principal"));
    stored(globex.put("classification=PUBLIC&route=default", shared));  // the same bytes can be stored again
    uploadRacingARemovalOfItsBlobStoresNothing(index);
  }

  /**
   * Retention removes a blob while an upload of the same bytes has committed it but not yet its row:
   * the upload waits for the removal, finds its blob gone and stores nothing (503), instead of a row
   * pointing at nothing.
   */
  private void uploadRacingARemovalOfItsBlobStoresNothing(PayloadIndex index) throws Exception {
    byte[] content = bytes(300_000);
    BlobKey key = new BlobKey(new Sha256(DataPlaneClient.sha256(content)));
    Path file = plane.context().getBean(LocalBlobStore.class).pathOf(key);
    CountDownLatch removing = new CountDownLatch(1);
    CountDownLatch uploadWaiting = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<Boolean> removal = threads.submit(() -> index.releaseBlob(key, () -> {
        removing.countDown();
        try {
          assertTrue(uploadWaiting.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the upload reached the lock");
          return plane.context().getBean(LocalBlobStore.class).delete(key);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
      assertTrue(removing.await(DEADLINE.toSeconds(), TimeUnit.SECONDS));
      Future<HttpResponse<String>> upload = threads.submit(() -> globex.put("classification=PUBLIC&route=default", content));
      DataSource db = plane.context().getBean(DataSource.class, Qualifiers.byName("data"));
      await("the upload's blob committed and its row waiting for the removal").atMost(DEADLINE)
          .until(() -> Files.isRegularFile(file) && waitingAdvisoryLocks(db) > 0);
      uploadWaiting.countDown();
      assertTrue(removal.get(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the removal removed it");
      HttpResponse<String> refused = upload.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      assertEquals(503, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("removed by retention"), refused.body());
      assertFalse(Files.exists(file));
    } finally {
      uploadWaiting.countDown();
      threads.shutdownNow();
    }
  }

  private static int waitingAdvisoryLocks(DataSource db) throws Exception {
    try (Connection c = db.getConnection(); var rs = c.createStatement()
        .executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private EvidenceEvent retentionEvidence(String id) {
    String ref = PayloadId.parse(id).ref();
    return (EvidenceEvent) acme.read(TopicCatalog.EVIDENCE_EVENTS, (k, e) -> e instanceof EvidenceEvent ev
        && ref.equals(ev.getCorrelationId()) && PayloadEvidence.RETENTION_DELETED.equals(ev.getType())).get(0);
  }

  private static String stored(HttpResponse<String> put) throws Exception {
    assertEquals(201, put.statusCode(), put.body());
    JsonNode ref = json(put.body());
    assertFalse(ref.path("quarantined").asBoolean(), ref.toString());
    return ref.path("id").asText();
  }

  private static void awaitApplied(ConfigSnapshotFollower follower, String scope, long version) {
    await(scope + " v" + version + " applied").atMost(DEADLINE).until(() -> {
      AppliedConfig applied = follower.routes().applied().get(ConfigScope.parse(scope));
      return applied != null && applied.snapshot().version() == version;
    });
  }

  private static Map<String, Object> body(String payloadRetention) {
    Map<String, Object> body = new HashMap<>();
    body.put("routes", List.of(Map.of("name", "default", "classifications", List.of("PUBLIC"))));
    Map<String, Object> retention = new HashMap<>();
    retention.put("evidence", "400d");
    if (payloadRetention != null) {
      retention.put("payloads", payloadRetention);
    }
    body.put("retention", retention);
    return body;
  }

  private static Map<String, Object> doc(String scope, long version, String parent, Map<String, Object> body) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("scope", scope);
    doc.put("version", version);
    doc.put("parent", parent);
    doc.put("expiresAt", FAR);
    doc.put("body", body);
    return doc;
  }

  private DsseEnvelope signed(Map<String, Object> doc) {
    return Dsse.sign(Dsse.sign(DsseEnvelope.unsigned(ConfigSnapshot.PAYLOAD_TYPE, CanonicalJson.serialize(doc)), alice), bob);
  }

  /** Writes {@code envelope} as the control plane's snapshot log does (minus the transaction). */
  private void publish(String scope, long version, DsseEnvelope envelope) throws Exception {
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

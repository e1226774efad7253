package dev.quartet.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.topics.TopicProvisioner;
import dev.quartet.contracts.topics.TopicProvisioningConfig;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.LeaseToken;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.execution.domain.ConfigFixtures;
import dev.quartet.execution.domain.WorkerStatus;
import dev.quartet.execution.kafka.WorkerConfigAgent;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.ConfigApplied;
import dev.quartet.schemas.ConfigRefused;
import dev.quartet.schemas.ConfigSnapshotPublished;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.LeaseTokenIssued;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workers against the real broker: snapshots and lease tokens are written straight onto the
 * topics, as the control plane would, and the worker must verify each one itself.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerConfigIT {
  private static final String TOKEN = "execution-it-token";
  private static final String FAR = "2030-01-01T00:00:00Z";
  private static final String EGRESS = "127.0.0.1:18080";
  private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(2);
  private final SecureRandom random = new SecureRandom();
  private final AdminKeyPair alice = AdminKeyPair.generate(random);
  private final AdminKeyPair bob = AdminKeyPair.generate(random);
  private final AdminKeyPair leaseKey = AdminKeyPair.generate(random);
  private final EventCodec codec = EventCodec.standard();
  private final ScheduledExecutorService issuer = Executors.newSingleThreadScheduledExecutor();
  private Path trustFile;
  private String bootstrap;
  private KafkaProducer<byte[], byte[]> producer;
  private TopicRecorder recorder;

  @BeforeAll
  void setUp(Infrastructure infra, @TempDir Path dir) throws Exception {
    Map<String, Integer> thresholds = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 2));
    TrustRoot root = new TrustRoot(1, Instant.parse(FAR), Set.of(alice.publicKey(), bob.publicKey()), 1, thresholds,
        Set.of(leaseKey.publicKey()), Set.of());
    trustFile = Files.write(dir.resolve("trust.json"), root.signedBy(List.of(alice, bob)).toJsonFile());
    bootstrap = infra.kafkaBootstrap();
    producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all"), new ByteArraySerializer(),
        new ByteArraySerializer());
    // Workers never create topics; in production a plane's TopicBootstrap has, here the test does.
    TopicProvisioner.provision(bootstrap, TopicCatalog.forBrokers(1), TopicProvisioningConfig.DEFAULTS);
    infra.database().provisionOwner("quartet_execution", "execution-secret", "execution");
    recorder = new TopicRecorder(bootstrap, List.of(TopicCatalog.CONFIG_ACKS, TopicCatalog.EVIDENCE_EVENTS));
  }

  @AfterAll
  void tearDown() {
    issuer.shutdownNow();
    if (recorder != null) {
      recorder.close();
    }
    if (producer != null) {
      producer.close();
    }
  }

  @Test
  void thePlaneWorkerAppliesOnlyWhatItVerifiedItself(Infrastructure infra) throws Exception {
    String scope = infra.unique("acme") + "/dev";
    String workerId = infra.unique("worker");
    try (PlaneProcess plane = PlaneProcess.start(EnumSet.of(Plane.EXECUTION), Map.ofEntries(
        Map.entry("micronaut.server.port", -1),
        Map.entry("quartet.kafka.bootstrap-servers", bootstrap),
        Map.entry("quartet.kafka.broker-count", 1),
        Map.entry("quartet.security.admin-token", TOKEN),
        Map.entry("datasources.execution.url", infra.jdbcUrl()),
        Map.entry("datasources.execution.username", "quartet_execution"),
        Map.entry("datasources.execution.password", "execution-secret"),
        Map.entry("quartet.worker.enabled", true),
        Map.entry("quartet.worker.id", workerId),
        Map.entry("quartet.worker.queue", scope + "/main"),
        Map.entry("quartet.worker.labels", "zone=it"),
        Map.entry("quartet.worker.trust-file", trustFile.toString()),
        Map.entry("quartet.worker.tick-interval", "200ms")))) {
      WorkerConfigAgent agent = plane.context().getBean(WorkerConfigAgent.class);
      assertFalse(agent.admitting(), "a worker without verified config runs nothing");

      DsseEnvelope v1 = version(scope, 1, "", FAR, ConfigFixtures.body(EGRESS), alice, bob);
      publish(scope, 1, v1);
      ConfigApplied ack1 = awaitApplied(workerId, 1);
      assertEquals(ConfigFixtures.digest(v1), ack1.getDigest(), "the ACK names the digest the worker computed");

      DsseEnvelope underSigned = version(scope, 2, ack1.getDigest(), FAR, ConfigFixtures.body("10.0.0.1:443"), alice);
      publish(scope, 2, underSigned);
      ConfigRefused nack = awaitRefused(workerId, 2, "UNDER_SIGNED");
      assertEquals(ConfigFixtures.digest(underSigned), nack.getDigest());
      awaitEvidence("config.refused", workerId, e -> "UNDER_SIGNED".equals(e.getAttributes().get("reason")));

      DsseEnvelope v2 = version(scope, 2, ack1.getDigest(), FAR, ConfigFixtures.body("10.0.0.1:443"), alice, bob);
      publish(scope, 2, v2);
      assertEquals(ConfigFixtures.digest(v2), awaitApplied(workerId, 2).getDigest());

      publish(scope, 1, v1);  // a replay: ignored, not applied, not refused
      DsseEnvelope expired = version(scope, 3, ConfigFixtures.digest(v2), Instant.now().minusSeconds(60).toString(),
          ConfigFixtures.body("10.0.0.1:443"), alice);
      publish(scope, 3, expired);
      awaitRefused(workerId, 3, "EXPIRED");
      awaitEvidence("config.refused", workerId, e -> "EXPIRED".equals(e.getAttributes().get("reason")));
      // Snapshots of one scope share a partition, so the replay was handled before v3's NACK.
      assertEquals(1, recorder.matching(ConfigApplied.class, a -> a.getWorkerId().equals(workerId) && a.getVersion() == 1).size(),
          "the replayed v1 was not applied again");
      assertEquals(List.of(), recorder.matching(ConfigRefused.class, r -> r.getWorkerId().equals(workerId) && r.getVersion() == 1),
          "the replayed v1 was ignored, not refused");
      assertEquals(2, agent.state().applied().version(), "still on v2");

      JsonNode self = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(plane.url().toString().replaceAll("/$", "") + "/v1/workers/self"))
              .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body());
      assertEquals(2, self.path("configVersion").asLong(), self.toString());
      assertEquals(ConfigFixtures.digest(v2), self.path("configDigest").asText());
      aLateWorkerRebuildsTheSameStateFromHistory(infra, scope, ConfigFixtures.digest(v2), ConfigFixtures.digest(expired));
    }
  }

  /** A worker started on an existing history re-verifies it all, ending on v2 like the first one. */
  private void aLateWorkerRebuildsTheSameStateFromHistory(Infrastructure infra, String scope, String v2Digest, String v3Digest)
      throws Exception {
    String lateId = infra.unique("late-worker");
    try (WorkerProcess late = WorkerProcess.start(Map.of("quartet.kafka.bootstrap-servers", bootstrap, "quartet.worker.id", lateId,
        "quartet.worker.queue", scope + "/main", "quartet.worker.trust-file", trustFile.toString(),
        "quartet.worker.tick-interval", "200ms"))) {
      assertEquals(v2Digest, awaitApplied(lateId, 2).getDigest());
      awaitRefused(lateId, 3, "EXPIRED");
      // A marker after catch-up: once its NACK is visible, so is anything reported before it.
      publish(scope, 4, version(scope, 4, v3Digest, FAR, ConfigFixtures.body("10.0.0.1:443"), AdminKeyPair.generate(random)));
      awaitRefused(lateId, 4, "UNDER_SIGNED");
      assertEquals(List.of(), recorder.matching(ConfigRefused.class, r -> r.getWorkerId().equals(lateId) && r.getVersion() <= 2),
          "refusals superseded during catch-up are not reported again");
      assertEquals(2, late.agent().state().applied().version());
    }
  }

  @Test
  void aStandaloneWorkerDegradesWithoutLeaseTokensAndRecovers(Infrastructure infra) throws Exception {
    String scope = infra.unique("globex") + "/dev";
    String workerId = infra.unique("worker");
    try (WorkerProcess worker = WorkerProcess.start(Map.of(
        "quartet.kafka.bootstrap-servers", bootstrap,
        "quartet.worker.id", workerId,
        "quartet.worker.queue", scope + "/main",
        "quartet.worker.trust-file", trustFile.toString(),
        "quartet.worker.tick-interval", "200ms"))) {
      DsseEnvelope v1 = version(scope, 1, "", FAR, ConfigFixtures.body(EGRESS), alice, bob);
      publish(scope, 1, v1);
      String digest = awaitApplied(workerId, 1).getDigest();
      ScheduledFuture<?> issuing = issueTokens(scope, digest);
      await("worker leased").atMost(Duration.ofSeconds(20)).until(() -> worker.agent().status() == WorkerStatus.LEASED);

      issuing.cancel(false);
      Instant stopped = Instant.now();
      EvidenceEvent degraded = awaitEvidence("worker.degraded", workerId, e -> !e.getOccurredAt().isBefore(stopped));
      assertEquals("lease-lapsed", degraded.getAttributes().get("phase"));
      assertEquals("degradedMode:continue-cached", degraded.getPolicy());
      assertEquals(1L, degraded.getConfigVersion());
      assertEquals(WorkerStatus.DEGRADED, worker.agent().status());
      assertTrue(worker.agent().admitting(), "continue-cached admits within its grace");

      Instant resumed = Instant.now();
      issuing = issueTokens(scope, digest);
      EvidenceEvent recovered = awaitEvidence("worker.recovered", workerId, e -> !e.getOccurredAt().isBefore(resumed));
      assertEquals(digest, recovered.getConfigDigest());
      await("worker leased again").atMost(Duration.ofSeconds(5)).until(() -> worker.agent().status() == WorkerStatus.LEASED);
      issuing.cancel(false);
    }
  }

  private DsseEnvelope version(String scope, long version, String parent, String expiresAt, Map<String, Object> body,
                               AdminKeyPair... keys) {
    return ConfigFixtures.signed(ConfigFixtures.doc(scope, version, parent, expiresAt, body), keys);
  }

  @Test
  void aWorkerRefusesToStartWithoutAVerifiedTrustRoot(@TempDir Path dir) throws Exception {
    Map<String, Object> base = Map.of("quartet.kafka.bootstrap-servers", bootstrap, "quartet.worker.id", "w-untrusted",
        "quartet.worker.queue", "acme/dev/main");
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> WorkerProcess.start(base));
    assertTrue(none.getMessage().contains("quartet.worker.trust-file"), none.getMessage());

    // Signed by one admin while the root's own "trust" threshold is two: not a valid pin.
    Map<String, Integer> thresholds = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 2));
    TrustRoot root = new TrustRoot(1, Instant.parse(FAR), Set.of(alice.publicKey(), bob.publicKey()), 1, thresholds,
        Set.of(leaseKey.publicKey()), Set.of());
    Path underSigned = Files.write(dir.resolve("trust.json"), root.signedBy(List.of(alice)).toJsonFile());
    Map<String, Object> withFile = new java.util.HashMap<>(base);
    withFile.put("quartet.worker.trust-file", underSigned.toString());
    IllegalStateException rejected = assertThrows(IllegalStateException.class, () -> WorkerProcess.start(withFile));
    assertTrue(rejected.getMessage().contains("threshold"), rejected.getMessage());
  }

  /** Writes {@code envelope} as the control plane's SnapshotLog does (minus the transaction). */
  private void publish(String scope, long version, DsseEnvelope envelope) throws Exception {
    ConfigSnapshotPublished event = ConfigSnapshotPublished.newBuilder().setScope(scope).setVersion(version)
        .setDigest(ConfigFixtures.digest(envelope)).setParentDigest("").setIssuedAt(Instant.now())
        .setExpiresAt(Instant.parse(FAR)).setEnvelope(ByteBuffer.wrap(envelope.toJson())).build();
    producer.send(new ProducerRecord<>(TopicCatalog.CONFIG_SNAPSHOTS, key(scope), codec.encode(event))).get(10, TimeUnit.SECONDS);
  }

  /** Issues a fresh short-lived token for the head every 300 ms, like the control plane's LeaseTokenIssuer. */
  private ScheduledFuture<?> issueTokens(String scope, String digest) {
    return issuer.scheduleAtFixedRate(() -> {
      Instant now = Instant.now();
      LeaseToken t = LeaseToken.sign(scope, 1, digest, now, now.plus(TOKEN_LIFETIME), leaseKey);
      producer.send(new ProducerRecord<>(TopicCatalog.CONFIG_LEASE_TOKENS, key(scope), codec.encode(LeaseTokenIssued.newBuilder()
          .setScope(scope).setHeadVersion(1).setHeadDigest(digest).setIssuedAt(t.issuedAt()).setExpiresAt(t.expiresAt())
          .setKeyId(t.keyId().hex()).setSignature(ByteBuffer.wrap(t.signature())).build())));
    }, 0, 300, TimeUnit.MILLISECONDS);
  }

  private ConfigApplied awaitApplied(String workerId, long version) {
    return recorder.awaitFirst("ConfigApplied v" + version + " by " + workerId, ConfigApplied.class,
        a -> a.getWorkerId().equals(workerId) && a.getVersion() == version);
  }

  private ConfigRefused awaitRefused(String workerId, long version, String reason) {
    return recorder.awaitFirst("ConfigRefused v" + version + " (" + reason + ") by " + workerId, ConfigRefused.class,
        r -> r.getWorkerId().equals(workerId) && r.getVersion() == version && r.getReason().startsWith(reason + ":"));
  }

  private EvidenceEvent awaitEvidence(String type, String workerId, java.util.function.Predicate<EvidenceEvent> wanted) {
    return recorder.awaitFirst(type + " evidence of " + workerId, EvidenceEvent.class,
        e -> e.getType().equals(type) && workerId.equals(e.getAttributes().get("workerId")) && wanted.test(e));
  }

  private static byte[] key(String scope) {
    return scope.getBytes(StandardCharsets.UTF_8);
  }
}

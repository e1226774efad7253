package dev.quartet.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.KeyFiles;
import dev.quartet.evidence.EvidenceTopics.Sent;
import dev.quartet.evidence.domain.CheckpointVerification;
import dev.quartet.evidence.domain.CheckpointVerifier;
import dev.quartet.evidence.domain.EvidenceCheckpoint;
import dev.quartet.evidence.domain.merkle.ConsistencyProof;
import dev.quartet.evidence.domain.merkle.InclusionProof;
import dev.quartet.evidence.domain.merkle.LeafHashes;
import dev.quartet.evidence.domain.merkle.MerkleRoot;
import dev.quartet.evidence.domain.merkle.Verification;
import dev.quartet.evidence.domain.note.NoteVerifier;
import dev.quartet.evidence.domain.note.NoteVerifiers;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evidence log end to end: events on the topic become leaves of their partition's tree,
 * signed checkpoints cover them, and proofs served over HTTP verify offline against the signed
 * notes; across a restart that redelivers everything the tree continues without a duplicate.
 * Runs in its own schema, consumer group and origin, so EvidencePlaneIT's plane is another log.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidenceLogIT {
  private static final Logger log = LoggerFactory.getLogger(EvidenceLogIT.class);
  private static final String TOKEN = "evidence-log-it-token";
  private static final String SCHEMA = "evidence_log_it";
  private static final String ORIGIN_PREFIX = "it.quartet.dev/evidence-log/";
  private static final String KEY_NAME = "it.quartet.dev/evidence-log";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private Map<String, Object> properties;
  private EvidenceTopics topics;
  private NoteVerifiers trusted;
  private String group;
  private PlaneProcess plane;
  private String base;

  @BeforeAll
  void startEvidencePlane(Infrastructure infra, @TempDir Path keys) throws Exception {
    infra.database().provisionOwner("quartet_evidence_log_it", "log-secret", SCHEMA);
    AdminKeyPair key = AdminKeyPair.generate(new SecureRandom());
    KeyFiles.writeNew(key, keys.resolve("evidence"));
    trusted = NoteVerifiers.of(List.of(NoteVerifier.of(KEY_NAME, key.publicKey().raw())));
    topics = new EvidenceTopics(infra.kafkaBootstrap());
    group = infra.unique("evidence-log-it");
    properties = new HashMap<>(Map.of(
        "micronaut.server.port", -1,
        "quartet.kafka.bootstrap-servers", infra.kafkaBootstrap(),
        "quartet.kafka.broker-count", 1,
        "quartet.security.admin-token", TOKEN,
        "datasources.evidence.url", infra.jdbcUrl(),
        "datasources.evidence.username", "quartet_evidence_log_it",
        "datasources.evidence.password", "log-secret",
        "datasources.evidence.schema", SCHEMA,
        "flyway.datasources.evidence.schemas", SCHEMA,
        "flyway.datasources.evidence.default-schema", SCHEMA));
    properties.putAll(Map.of(
        "quartet.evidence.index.consumer-group", group,
        "quartet.evidence.checkpoint.key-file", keys.resolve("evidence.key").toString(),
        "quartet.evidence.checkpoint.key-name", KEY_NAME,
        "quartet.evidence.checkpoint.origin-prefix", ORIGIN_PREFIX,
        "quartet.evidence.checkpoint.every", "200ms",
        "quartet.evidence.checkpoint.every-events", 4));
    start();
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void eventsAreProvenAgainstSignedCheckpointsAndTheTreeContinuesAfterARestart() throws Exception {
    String correlation = UUID.randomUUID().toString();
    List<Sent> first = topics.emit(correlation, 5);
    int p = first.get(0).partition();
    EvidenceCheckpoint before = checkpointCovering(first);
    Map<String, Long> leafIndex = new HashMap<>();
    for (Sent s : first) {
      leafIndex.put(s.id(), verifiedInclusion(s, before));
    }
    assertTrue(topics.checkpoint(c -> c.getOrigin().equals(ORIGIN_PREFIX + p) && c.getTreeSize() == before.treeSize(),
            Duration.ofSeconds(10)).map(c -> c.getSignedNote().equals(before.signedNote())).orElse(false),
        "checkpoint " + before + " published to quartet.evidence.checkpoints with the same signed note");

    // Restart on the same database with the group rewound: every record is redelivered.
    plane.close();
    await("group " + group + " rewound").atMost(Duration.ofSeconds(15)).untilAsserted(() -> topics.rewind(group));
    start();
    topics.emitUndecodable(correlation);  // dead-lettered, so not a leaf: the rebuild below would notice
    List<Sent> second = topics.emit(correlation, 5);
    EvidenceCheckpoint after = checkpointCovering(second);
    assertTrue(after.treeSize() >= before.treeSize() + second.size(), "tree grew from " + before + " to " + after);
    for (Sent s : first) {
      assertEquals(leafIndex.get(s.id()), verifiedInclusion(s, after), "leaf of " + s.id() + " after redelivery");
    }
    for (Sent s : second) {
      assertTrue(verifiedInclusion(s, after) >= before.treeSize(), "new event " + s.id() + " is appended after " + before);
    }
    JsonNode c = getJson("/v1/evidence/consistency/" + p + "?from=" + before.treeSize() + "&to=" + after.treeSize());
    ConsistencyProof consistency = new ConsistencyProof(c.path("fromSize").asLong(), c.path("toSize").asLong(), hashes(c));
    assertEquals(Verification.VERIFIED, before.verifyConsistency(consistency, after), "consistency " + before + " -> " + after);
    // An outsider rebuilding the tree from Kafka alone arrives at the signed root: no leaf twice, none missing.
    List<byte[]> rebuilt = topics.leaves(p, after.treeSize(), Duration.ofSeconds(10));
    assertEquals(after.treeSize(), rebuilt.size(), "evidence records in partition " + p);
    assertArrayEquals(after.rootHash(), MerkleRoot.of(LeafHashes.of(rebuilt), after.treeSize()), "root rebuilt from the topic");
  }

  @Test
  void badProofRequestsAreProblems() throws Exception {
    assertProblem("/v1/evidence/events/" + UUID.randomUUID() + "/proof", 404);
    assertProblem("/v1/evidence/checkpoints/9999/latest", 404);
    assertProblem("/v1/evidence/checkpoints/x/latest", 400);
    assertProblem("/v1/evidence/checkpoints/0?size=0", 400);
    assertProblem("/v1/evidence/checkpoints/0", 400);
    assertProblem("/v1/evidence/consistency/0?from=5&to=2", 400);
    assertProblem("/v1/evidence/consistency/0?from=1&to=" + Long.MAX_VALUE, 404);
  }

  /** Waits until the latest checkpoint of the events' partition covers them; returns it, verified, and logs the lag. */
  private EvidenceCheckpoint checkpointCovering(List<Sent> sent) {
    Sent last = sent.get(sent.size() - 1);
    long acked = System.nanoTime();
    List<JsonNode> proof = new ArrayList<>();
    await("a checkpoint covering " + last.id()).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25))
        .until(() -> {
          HttpResponse<String> r = get("/v1/evidence/events/" + last.id() + "/proof");
          if (r.statusCode() == 200) {
            proof.add(JSON.readTree(r.body()));
          }
          return r.statusCode() == 200;
        });
    log.info("Checkpoint lag: {} ms from the ack of {}-{}@{} to a signed checkpoint covering it",
        Duration.ofNanos(System.nanoTime() - acked).toMillis(), "quartet.evidence.events", last.partition(), last.offset());
    String note = proof.get(0).path("checkpoint").path("signedNote").asText();
    CheckpointVerification v = new CheckpointVerifier(ORIGIN_PREFIX + last.partition(), trusted)
        .verify(note.getBytes(StandardCharsets.UTF_8));
    return assertInstanceOf(CheckpointVerification.Verified.class, v, "signed note under the configured key: " + v).at();
  }

  /** Fetches the inclusion proof of {@code s} against {@code cp}, checks it with the event's own bytes; returns its leaf index. */
  private long verifiedInclusion(Sent s, EvidenceCheckpoint cp) throws Exception {
    JsonNode j = getJson("/v1/evidence/events/" + s.id() + "/proof?size=" + cp.treeSize());
    assertEquals(s.partition(), j.path("partition").asInt(), "partition of " + s.id());
    assertEquals(s.offset(), j.path("offset").asLong(), "offset of " + s.id());
    assertEquals(HexFormat.of().formatHex(s.leafHash()), j.path("leafHash").asText(), "leaf hash = hash of the record's bytes");
    InclusionProof proof = new InclusionProof(j.path("leafIndex").asLong(), j.path("treeSize").asLong(), hashes(j));
    assertEquals(Verification.VERIFIED, cp.verifyInclusion(proof, s.leafHash()), "inclusion of " + s.id() + " in " + cp);
    return proof.leafIndex();
  }

  private void start() {
    plane = PlaneProcess.start(EnumSet.of(Plane.EVIDENCE), properties);
    base = plane.url().toString().replaceAll("/$", "");
  }

  private void assertProblem(String path, int status) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(status, r.statusCode(), path + " answered " + r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), path);
    assertEquals(status, JSON.readTree(r.body()).path("status").asInt(), path + " answered " + r.body());
  }

  private static List<byte[]> hashes(JsonNode proof) {
    List<byte[]> out = new ArrayList<>();
    proof.path("hashes").forEach(h -> out.add(HexFormat.of().parseHex(h.asText())));
    return out;
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(200, r.statusCode(), path + " answered " + r.body());
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

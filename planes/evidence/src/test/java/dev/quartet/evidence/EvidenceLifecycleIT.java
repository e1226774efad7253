package dev.quartet.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.evidence.Redaction;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.KeyFiles;
import dev.quartet.evidence.EvidenceTopics.Sent;
import dev.quartet.evidence.domain.CheckpointVerification;
import dev.quartet.evidence.domain.CheckpointVerifier;
import dev.quartet.evidence.domain.EvidenceCheckpoint;
import dev.quartet.evidence.domain.merkle.InclusionProof;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.domain.merkle.Verification;
import dev.quartet.evidence.domain.note.NoteVerifier;
import dev.quartet.evidence.domain.note.NoteVerifiers;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
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
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evidence life cycle beyond appending: corrections linked in the index, redacted attributes
 * whose openings are destroyed while proofs keep verifying, bodies swept after retention while
 * old checkpoints keep proving the rest, and an index rebuilt from the topic to the same rows.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidenceLifecycleIT {
  private static final String TOKEN = "evidence-lifecycle-it-token";
  private static final String SCHEMA = "evidence_lifecycle_it";
  private static final String ORIGIN_PREFIX = "it.quartet.dev/evidence-lifecycle/";
  private static final String KEY_NAME = "it.quartet.dev/evidence-lifecycle";
  private static final Duration RETENTION = Duration.ofDays(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private EvidenceTopics topics;
  private NoteVerifiers trusted;
  private PlaneProcess plane;
  private String base;
  private String jdbcUrl;
  private dev.quartet.evidence.domain.note.NoteSigner evidenceKey;

  @BeforeAll
  void startEvidencePlane(Infrastructure infra, @TempDir Path keys) throws Exception {
    infra.database().provisionOwner("quartet_evidence_lifecycle_it", "lifecycle-secret", SCHEMA);
    AdminKeyPair key = AdminKeyPair.generate(new SecureRandom());
    KeyFiles.writeNew(key, keys.resolve("evidence"));
    evidenceKey = dev.quartet.evidence.config.EvidenceKeyFactory.read(keys.resolve("evidence.key"), KEY_NAME);
    trusted = NoteVerifiers.of(List.of(NoteVerifier.of(KEY_NAME, key.publicKey().raw())));
    topics = new EvidenceTopics(infra.kafkaBootstrap());
    jdbcUrl = infra.jdbcUrl();
    Map<String, Object> properties = new HashMap<>(Map.of(
        "micronaut.server.port", -1,
        "quartet.kafka.bootstrap-servers", infra.kafkaBootstrap(),
        "quartet.kafka.broker-count", 1,
        "quartet.security.admin-token", TOKEN,
        "datasources.evidence.url", infra.jdbcUrl(),
        "datasources.evidence.username", "quartet_evidence_lifecycle_it",
        "datasources.evidence.password", "lifecycle-secret",
        "datasources.evidence.schema", SCHEMA,
        "flyway.datasources.evidence.schemas", SCHEMA,
        "flyway.datasources.evidence.default-schema", SCHEMA));
    properties.putAll(Map.of(
        "quartet.evidence.index.consumer-group", infra.unique("evidence-lifecycle-it"),
        "quartet.evidence.checkpoint.key-file", keys.resolve("evidence.key").toString(),
        "quartet.evidence.checkpoint.key-name", KEY_NAME,
        "quartet.evidence.checkpoint.origin-prefix", ORIGIN_PREFIX,
        "quartet.evidence.checkpoint.every", "200ms",
        "quartet.evidence.retention.body", RETENTION.toString(),
        "quartet.evidence.retention.sweep-interval", "200ms"));
    plane = PlaneProcess.start(EnumSet.of(Plane.EVIDENCE), properties);
    base = plane.url().toString().replaceAll("/$", "");
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void aCorrectionIsANewEventLinkedBothWays() throws Exception {
    String correlation = UUID.randomUUID().toString();
    Sent original = topics.send(correlation, EvidenceTopics.event(correlation, Instant.now()).setOutcome("denied").build());
    Sent correction = topics.send(correlation, EvidenceTopics.event(correlation, Instant.now()).setOutcome("allowed")
        .setCorrects(original.id()).build());
    await("the correction linked to " + original.id()).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode o = getJson("/v1/evidence/events/" + original.id());
      assertEquals(List.of(correction.id()), texts(o.path("correctedBy")), "correctedBy of the original: " + o);
    });
    JsonNode c = getJson("/v1/evidence/events/" + correction.id());
    assertEquals(original.id(), c.path("corrects").asText(), "corrects of the correction: " + c);
    JsonNode o = getJson("/v1/evidence/events/" + original.id());
    assertEquals("denied", o.path("outcome").asText(), "the original is never changed: " + o);
    assertFalse(o.hasNonNull("corrects"), "an original corrects nothing: " + o);
  }

  @Test
  void aRedactedAttributeStillProvesAfterItsOpeningIsDestroyed() throws Exception {
    String correlation = UUID.randomUUID().toString();
    String secret = "subject-" + UUID.randomUUID();
    Redaction.Redacted redacted = Redaction.redact(Map.of("subject", secret, "route", "eu"), Set.of("subject"),
        new SecureRandom());
    EvidenceEvent event = EvidenceTopics.event(correlation, Instant.now()).setAttributes(redacted.attributes()).build();
    // The emitter deposits the opening first, then emits: the value never reaches the topic.
    Redaction.Opening opening = redacted.openings().get("subject");
    ObjectNode deposit = JSON.createObjectNode();
    deposit.putArray("openings").addObject().put("attribute", "subject")
        .put("salt", Base64.getEncoder().encodeToString(opening.salt())).put("value", secret);
    JsonNode kept = send("POST", "/v1/evidence/redactions/" + event.getId(), deposit.toString(), 200);
    assertEquals(opening.commitment(), kept.get(0).path("commitment").asText(), "commitment the plane computed");
    Sent sent = topics.send(correlation, event);

    byte[] value = topics.valueAt(sent.partition(), sent.offset(), Duration.ofSeconds(10));
    assertFalse(new String(value, StandardCharsets.ISO_8859_1).contains(secret), "the record holds no sensitive value");
    EvidenceEvent onLog = EventCodec.standard().decode(value, EvidenceEvent.class);
    assertEquals(opening.commitment(), onLog.getAttributes().get("subject"), "the leaf is the committed form");
    EvidenceCheckpoint cp = checkpointCovering(sent);
    assertEquals(Verification.VERIFIED, inclusion(sent, cp), "inclusion before destruction");
    await("the opening readable").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertEquals(secret, getJson("/v1/evidence/redactions/" + sent.id()).get(0).path("value").asText()));

    JsonNode destroyed = send("POST", "/v1/evidence/redactions/" + sent.id() + "/subject/destroy", "", 200);
    assertFalse(destroyed.hasNonNull("value") || destroyed.hasNonNull("salt"), "destroyed: " + destroyed);
    assertNotNull(destroyed.path("destroyedAt").textValue(), "destroyedAt: " + destroyed);
    JsonNode after = getJson("/v1/evidence/redactions/" + sent.id()).get(0);
    assertEquals(opening.commitment(), after.path("commitment").asText(), "the commitment stays");
    assertFalse(after.hasNonNull("value") || after.hasNonNull("salt"), "the value is gone: " + after);
    assertEquals(Verification.VERIFIED, inclusion(sent, cp), "inclusion after destruction");
    assertArrayEquals(sent.leafHash(), LeafHash.of(topics.valueAt(sent.partition(), sent.offset(), Duration.ofSeconds(10))),
        "the leaf is untouched");
    await("the destruction recorded as evidence").atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(1,
        getJson("/v1/evidence/events?correlation=" + sent.id() + "&type=evidence.redaction.destroyed").path("events").size(),
        "evidence.redaction.destroyed events about " + sent.id()));
  }

  @Test
  void retentionDeletesOldBodiesAndOldCheckpointsStillProveTheRest() throws Exception {
    String correlation = UUID.randomUUID().toString();
    Sent old = topics.send(correlation, EvidenceTopics.event(correlation, Instant.now().minus(RETENTION.multipliedBy(2))).build());
    Sent recent = topics.send(correlation, EvidenceTopics.event(correlation, Instant.now()).build());
    EvidenceCheckpoint before = checkpointCovering(recent);
    await("the old body swept").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertEquals(404, get("/v1/evidence/events/" + old.id()).statusCode(), "index row of " + old.id()));
    assertEquals(200, get("/v1/evidence/events/" + recent.id()).statusCode(), "the recent body is kept");
    Sent later = topics.send(correlation, EvidenceTopics.event(correlation, Instant.now()).build());
    EvidenceCheckpoint after = checkpointCovering(later);
    assertTrue(after.treeSize() > before.treeSize(), "the log grew from " + before + " to " + after);
    assertEquals(Verification.VERIFIED, inclusion(recent, before), "a remaining event against the old checkpoint");
    assertEquals(Verification.VERIFIED, inclusion(recent, after), "a remaining event against the new checkpoint");
    assertEquals(Verification.VERIFIED, inclusion(old, before), "the swept event's leaf hash is still in the log");
  }

  @Test
  void rebuildArrivesAtTheSameRowsAndChecksTheSignedRoots() throws Exception {
    String correlation = UUID.randomUUID().toString();
    Sent original = topics.send(correlation, EvidenceTopics.event(correlation, Instant.now()).build());
    Sent correction = topics.send(correlation, EvidenceTopics.event(correlation, Instant.now()).setCorrects(original.id()).build());
    checkpointCovering(correction);
    Map<String, JsonNode> before = allRows();
    assertTrue(before.containsKey(correction.id()), "the correction is indexed before the rebuild");

    JsonNode report = send("POST", "/v1/evidence/admin/rebuild", "", 200);
    assertEquals("evidence", report.path("plane").asText(), "rebuild report " + report);
    JsonNode partition = null;
    for (JsonNode p : report.path("partitions")) {
      if (p.path("partition").asInt() == original.partition()) {
        partition = p;
      }
    }
    assertNotNull(partition, "partition " + original.partition() + " in " + report);
    assertTrue(partition.path("rootMatches").asBoolean() && partition.path("checkedSize").asLong() > 0,
        "recomputed leaves match the signed root: " + partition);

    Map<String, JsonNode> after = allRows();
    Map<Integer, Long> lastOffsetBefore = new HashMap<>();
    before.values().forEach(r -> lastOffsetBefore.merge(r.path("partition").asInt(), r.path("offset").asLong(), Math::max));
    for (Map.Entry<String, JsonNode> row : before.entrySet()) {
      assertEquals(withoutSeq(row.getValue()), withoutSeq(after.get(row.getKey())), "row of " + row.getKey() + " after the rebuild");
    }
    for (Map.Entry<String, JsonNode> row : after.entrySet()) {
      if (!before.containsKey(row.getKey())) {
        long offset = row.getValue().path("offset").asLong();
        assertTrue(offset > lastOffsetBefore.getOrDefault(row.getValue().path("partition").asInt(), -1L),
            "a row the index did not hold before must be newer than the rebuild's start, was " + row.getValue());
      }
    }
    assertEquals(List.of(correction.id()), texts(after.get(original.id()).path("correctedBy")), "correction link rebuilt");
  }

  @Test
  void rebuildRefusesALogWhoseSignedRootTheTopicDoesNotGiveAndChangesNothing() throws Exception {
    String correlation = UUID.randomUUID().toString();
    Sent sent = topics.send(correlation, EvidenceTopics.event(correlation, Instant.now()).build());
    checkpointCovering(sent);
    Map<String, JsonNode> before = allRows();
    // Someone with the evidence key and database access put a validly signed checkpoint of other leaves in place of
    // the partition's latest one: the topic no longer gives its root.
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl, "quartet_evidence_lifecycle_it", "lifecycle-secret")) {
      c.setAutoCommit(false);
      try (var s = c.createStatement()) {
        s.execute("SET search_path TO " + SCHEMA);
        var latest = s.executeQuery("SELECT tree_size, origin, root_hash, signed_note FROM log_checkpoint WHERE log_partition = "
            + sent.partition() + " ORDER BY tree_size DESC LIMIT 1");
        assertTrue(latest.next(), "a checkpoint of partition " + sent.partition());
        long size = latest.getLong(1);
        String origin = latest.getString(2);
        byte[] root = latest.getBytes(3);
        String note = latest.getString(4);
        dev.quartet.evidence.domain.merkle.CompactRange other = dev.quartet.evidence.domain.merkle.CompactRange.empty();
        for (long i = 0; i < size; i++) {
          other = other.append(LeafHash.of(("forged " + i).getBytes(StandardCharsets.UTF_8)));
        }
        EvidenceCheckpoint forged = new dev.quartet.evidence.domain.CheckpointSigner(origin, evidenceKey).sign(other);
        var update = c.prepareStatement("UPDATE log_checkpoint SET root_hash = ?, signed_note = ? WHERE log_partition = ? AND tree_size = ?");
        update.setBytes(1, forged.rootHash());
        update.setString(2, forged.signedNote());
        update.setInt(3, sent.partition());
        update.setLong(4, size);
        update.executeUpdate();
        c.commit();
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/evidence/admin/rebuild"))
              .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
              HttpResponse.BodyHandlers.ofString());
          assertEquals(500, r.statusCode(), "rebuild against a forged checkpoint answered " + r.body());
          assertTrue(r.body().contains("contradicts a signed checkpoint"), r.body());
        } finally {
          update.setBytes(1, root);
          update.setString(2, note);
          update.executeUpdate();
          c.commit();
        }
      }
    }
    Map<String, JsonNode> after = allRows();
    for (String id : before.keySet()) {
      assertEquals(withoutSeq(before.get(id)), withoutSeq(after.get(id)), "row of " + id + " kept by the refused rebuild");
    }
  }

  /** Every row of the index, by event id, paged through the API. */
  private Map<String, JsonNode> allRows() throws Exception {
    Map<String, JsonNode> rows = new HashMap<>();
    String after = "0";
    while (after != null) {
      JsonNode page = getJson("/v1/evidence/events?from=1970-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&limit=1000&after=" + after);
      page.path("events").forEach(e -> rows.put(e.path("id").asText(), e));
      after = page.hasNonNull("next") ? page.get("next").asText() : null;
    }
    return rows;
  }

  private static JsonNode withoutSeq(JsonNode row) {
    assertNotNull(row, "row missing");
    ObjectNode copy = row.deepCopy();
    copy.remove("seq");
    return copy;
  }

  private EvidenceCheckpoint checkpointCovering(Sent s) {
    List<String> notes = new ArrayList<>();
    await("a checkpoint covering " + s.id()).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      HttpResponse<String> r = get("/v1/evidence/events/" + s.id() + "/proof");
      if (r.statusCode() == 200) {
        notes.add(JSON.readTree(r.body()).path("checkpoint").path("signedNote").asText());
      }
      return r.statusCode() == 200;
    });
    CheckpointVerification v = new CheckpointVerifier(ORIGIN_PREFIX + s.partition(), trusted)
        .verify(notes.get(0).getBytes(StandardCharsets.UTF_8));
    return assertInstanceOf(CheckpointVerification.Verified.class, v, "signed note: " + v).at();
  }

  private Verification inclusion(Sent s, EvidenceCheckpoint cp) throws Exception {
    JsonNode j = getJson("/v1/evidence/events/" + s.id() + "/proof?size=" + cp.treeSize());
    assertEquals(HexFormat.of().formatHex(s.leafHash()), j.path("leafHash").asText(), "leaf hash of " + s.id());
    List<byte[]> hashes = new ArrayList<>();
    j.path("hashes").forEach(h -> hashes.add(HexFormat.of().parseHex(h.asText())));
    return cp.verifyInclusion(new InclusionProof(j.path("leafIndex").asLong(), j.path("treeSize").asLong(), hashes), s.leafHash());
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private JsonNode send(String method, String path, String body, int status) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), method + " " + path + " answered " + r.body());
    return JSON.readTree(r.body());
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

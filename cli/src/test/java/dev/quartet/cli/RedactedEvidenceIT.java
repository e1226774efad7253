package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.evidence.OpeningCourier;
import dev.quartet.contracts.evidence.Redaction;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.contracts.trust.KeyFiles;
import dev.quartet.control.TokenIssuer;
import dev.quartet.evidence.config.EvidenceKeyFactory;
import dev.quartet.evidence.domain.CheckpointVerification;
import dev.quartet.evidence.domain.CheckpointVerifier;
import dev.quartet.evidence.domain.EvidenceCheckpoint;
import dev.quartet.evidence.domain.merkle.InclusionProof;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.domain.merkle.Verification;
import dev.quartet.evidence.domain.note.NoteVerifiers;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.ApiTokenClaims;
import dev.quartet.runtime.ApiTokens;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.runtime.Roles;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redaction at emit time, end to end: the control plane records {@code token.issued} with the
 * token's subject committed, deposits the opening at the evidence plane with its own depositor
 * token, an auditor reads and destroys it, and the event's inclusion proof against a signed
 * checkpoint verifies before and after. A control plane that cannot reach the evidence plane
 * records the loss of the openings as evidence.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedactedEvidenceIT {
  private static final String TOKEN = "redacted-evidence-it-token";
  private static final String SECRET = "redacted-evidence-it-secret-0123456789abcdef";
  private static final String KEY_NAME = "it.quartet.dev/redacted-evidence";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private PlaneProcess planes;
  private String server;
  private String bootstrap;
  private String originPrefix;
  private NoteVerifiers trusted;
  private Infrastructure infra;
  private Path dir;

  @BeforeAll
  void startPlanes(Infrastructure infra, @TempDir Path tmp) throws Exception {
    this.infra = infra;
    dir = tmp;
    bootstrap = infra.kafkaBootstrap();
    String suffix = infra.unique("x").replaceAll("[^a-z0-9]", "");
    originPrefix = "it.quartet.dev/redacted-" + suffix + "/";
    AdminKeyPair evidenceKey = AdminKeyPair.generate(new SecureRandom());
    KeyFiles.writeNew(evidenceKey, dir.resolve("evidence"));
    trusted = NoteVerifiers.of(List.of(EvidenceKeyFactory.read(dir.resolve("evidence.key"), KEY_NAME).verifier()));
    Map<String, Object> p = PlaneDatabases.provision(infra, "redacted_it", suffix, "control", "evidence");
    p.putAll(controlProperties());
    p.put("quartet.evidence.checkpoint.key-file", dir.resolve("evidence.key").toString());
    p.put("quartet.evidence.checkpoint.key-name", KEY_NAME);
    p.put("quartet.evidence.checkpoint.origin-prefix", originPrefix);
    p.put("quartet.evidence.checkpoint.every", "200ms");
    p.put("quartet.evidence.index.consumer-group", infra.unique("redacted-evidence-it"));
    // Deposits go to this process's own evidence plane: evidence-url is left blank.
    planes = PlaneProcess.start(EnumSet.of(Plane.CONTROL, Plane.EVIDENCE), p);
    server = planes.url().toString().replaceAll("/$", "");
  }

  @AfterAll
  void stop() {
    if (planes != null) {
      planes.close();
    }
  }

  @Test
  void aTokenSubjectIsACommitmentOnTheLogWhoseOpeningCanBeReadThenDestroyedWhileTheProofHolds() throws Exception {
    String subject = "alice-" + UUID.randomUUID() + "@example.com";
    String jti = mint(server, subject);
    JsonNode indexed = awaitEvent("token:" + jti, TokenIssuer.TOKEN_ISSUED);
    String eventId = indexed.path("id").asText();
    int partition = indexed.path("partition").asInt();
    byte[] record = valueAt(partition, indexed.path("offset").asLong());

    assertFalse(new String(record, StandardCharsets.UTF_8).contains(subject), "the record (the leaf) never holds the subject");
    EvidenceEvent onLog = EventCodec.standard().decode(record, EvidenceEvent.class);
    String commitment = onLog.getAttributes().get("subject");
    assertTrue(Redaction.isCommitment(commitment), "subject on the log is a commitment, was " + commitment);
    assertEquals(jti, onLog.getAttributes().get("jti"), "ids stay in clear");
    assertEquals(Roles.AUDITOR, onLog.getAttributes().get("roles"), "roles stay in clear");

    AtomicReference<JsonNode> opening = new AtomicReference<>();
    await("the opening of " + eventId + " deposited").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> r = send(TOKEN, "GET", "/v1/evidence/redactions/" + eventId, null);
      assertEquals(200, r.statusCode(), "openings of " + eventId + ": " + r.body());
      JsonNode list = JSON.readTree(r.body());
      assertEquals(1, list.size(), "one redacted attribute: " + list);
      opening.set(list.get(0));
    });
    JsonNode o = opening.get();
    assertEquals("subject", o.path("attribute").asText());
    assertEquals(commitment, o.path("commitment").asText(), "the deposited commitment is the one on the log");
    assertEquals(subject, o.path("value").asText(), "the opening holds the value");
    assertEquals(commitment, Redaction.commitment(Base64.getDecoder().decode(o.path("salt").asText()), subject),
        "salt and value open the leaf's commitment");

    HttpResponse<String> asDepositor = send(depositorToken(), "GET", "/v1/evidence/redactions/" + eventId, null);
    assertEquals(403, asDepositor.statusCode(), "the depositor role reads nothing back: " + asDepositor.body());

    EvidenceCheckpoint checkpoint = checkpointCovering(eventId, partition);
    byte[] leafHash = LeafHash.of(record);
    assertEquals(Verification.VERIFIED, inclusion(eventId, checkpoint, leafHash), "inclusion before destruction");

    HttpResponse<String> destroyed = send(TOKEN, "POST", "/v1/evidence/redactions/" + eventId + "/subject/destroy", "");
    assertEquals(200, destroyed.statusCode(), destroyed.body());
    JsonNode after = JSON.readTree(send(TOKEN, "GET", "/v1/evidence/redactions/" + eventId, null).body()).get(0);
    assertEquals(commitment, after.path("commitment").asText(), "the commitment stays");
    assertFalse(after.hasNonNull("value") || after.hasNonNull("salt"), "salt and value are gone: " + after);
    assertArrayEquals(leafHash, LeafHash.of(valueAt(partition, indexed.path("offset").asLong())), "the leaf is untouched");
    assertEquals(Verification.VERIFIED, inclusion(eventId, checkpoint, leafHash), "inclusion after destruction");
  }

  @Test
  void openingsThatCannotBeDepositedAreRecordedAsLostWithoutTheValue() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();  // closed again before use: connections are refused
    }
    String suffix = infra.unique("y").replaceAll("[^a-z0-9]", "");
    Map<String, Object> p = PlaneDatabases.provision(infra, "redacted_lost_it", suffix, "control");
    p.putAll(controlProperties());
    p.put("quartet.evidence-client.redaction.evidence-url", "http://127.0.0.1:" + closedPort);
    p.put("quartet.evidence-client.redaction.max-attempts", 3);
    p.put("quartet.evidence-client.redaction.first-retry-delay", "100ms");
    p.put("quartet.evidence-client.redaction.max-retry-delay", "200ms");
    p.put("quartet.evidence-client.buffer-dir", dir.resolve("lost-buffer").toString());
    String subject = "bob-" + UUID.randomUUID() + "@example.com";
    String jti;
    try (PlaneProcess control = PlaneProcess.start(EnumSet.of(Plane.CONTROL), p)) {
      jti = mint(control.url().toString().replaceAll("/$", ""), subject);
      JsonNode issued = awaitEvent("token:" + jti, TokenIssuer.TOKEN_ISSUED);
      JsonNode lost = awaitEvent("token:" + jti, OpeningCourier.OPENINGS_LOST);
      byte[] record = valueAt(lost.path("partition").asInt(), lost.path("offset").asLong());
      assertFalse(new String(record, StandardCharsets.UTF_8).contains(subject), "the loss event never holds the value");
      EvidenceEvent loss = EventCodec.standard().decode(record, EvidenceEvent.class);
      assertEquals(issued.path("id").asText(), loss.getAttributes().get("eventId"), "names the event: " + loss);
      assertEquals("subject", loss.getAttributes().get("attributes"));
      assertEquals("3", loss.getAttributes().get("attempts"), "after the configured attempts: " + loss);
      assertTrue(loss.getAttributes().get("reason").startsWith("evidence plane unreachable"), loss.getAttributes().toString());
      assertEquals(issued.path("tenant").asText(), loss.getTenant(), "visible to the event's tenant");
    }
  }

  private Map<String, Object> controlProperties() throws Exception {
    return Map.of(
        "micronaut.server.port", -1,
        "quartet.kafka.bootstrap-servers", bootstrap,
        "quartet.kafka.broker-count", 1,
        "quartet.security.admin-token", TOKEN,
        "quartet.security.token-secret", SECRET,
        "quartet.control.trust-file", DevelopmentTrust.ensure(dir, Clock.systemUTC()).trustFile().toString(),
        "quartet.control.lease.key-file", DevelopmentTrust.leaseKeyFile(dir).toString());
  }

  /** Mints an AUDITOR token for {@code subject} at {@code base}; returns its id. */
  private String mint(String base, String subject) throws Exception {
    String body = JSON.writeValueAsString(Map.of("subject", subject, "roles", List.of(Roles.AUDITOR), "tenant", "redact-it", "ttl", "10m"));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/tokens")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), "minting: " + r.body());
    return JSON.readTree(r.body()).path("id").asText();
  }

  private String depositorToken() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return new ApiTokens(SECRET.getBytes(StandardCharsets.UTF_8), Duration.ZERO).sign(new ApiTokenClaims("it-depositor",
        List.of(Roles.EVIDENCE_DEPOSITOR), "system", now, now.plusSeconds(600), UUID.randomUUID().toString()));
  }

  private JsonNode awaitEvent(String correlation, String type) {
    AtomicReference<JsonNode> found = new AtomicReference<>();
    await(type + " of " + correlation + " indexed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          HttpResponse<String> r = send(TOKEN, "GET", "/v1/evidence/events?correlation="
              + URLEncoder.encode(correlation, StandardCharsets.UTF_8) + "&type=" + URLEncoder.encode(type, StandardCharsets.UTF_8), null);
          assertEquals(200, r.statusCode(), r.body());
          JsonNode events = JSON.readTree(r.body()).path("events");
          assertEquals(1, events.size(), type + " events of " + correlation + ": " + events);
          found.set(events.get(0));
        });
    return found.get();
  }

  private byte[] valueAt(int partition, long offset) {
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
        "isolation.level", "read_committed", "enable.auto.commit", false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(TopicCatalog.EVIDENCE_EVENTS, partition);
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      AtomicReference<byte[]> value = new AtomicReference<>();
      await("the record at " + tp + "@" + offset).atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() == offset) {
            value.set(r.value());
          }
        }
        return value.get() != null;
      });
      return value.get();
    }
  }

  private EvidenceCheckpoint checkpointCovering(String eventId, int partition) {
    AtomicReference<String> note = new AtomicReference<>();
    await("a checkpoint covering " + eventId).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      HttpResponse<String> r = send(TOKEN, "GET", "/v1/evidence/events/" + eventId + "/proof", null);
      if (r.statusCode() == 200) {
        note.set(JSON.readTree(r.body()).path("checkpoint").path("signedNote").asText());
      }
      return r.statusCode() == 200;
    });
    CheckpointVerification v = new CheckpointVerifier(originPrefix + partition, trusted)
        .verify(note.get().getBytes(StandardCharsets.UTF_8));
    return assertInstanceOf(CheckpointVerification.Verified.class, v, "signed note: " + v).at();
  }

  private Verification inclusion(String eventId, EvidenceCheckpoint cp, byte[] leafHash) throws Exception {
    HttpResponse<String> r = send(TOKEN, "GET", "/v1/evidence/events/" + eventId + "/proof?size=" + cp.treeSize(), null);
    assertEquals(200, r.statusCode(), "proof of " + eventId + ": " + r.body());
    JsonNode j = JSON.readTree(r.body());
    assertEquals(HexFormat.of().formatHex(leafHash), j.path("leafHash").asText(), "leaf hash of " + eventId);
    List<byte[]> hashes = new ArrayList<>();
    j.path("hashes").forEach(h -> hashes.add(HexFormat.of().parseHex(h.asText())));
    assertNotNull(cp, "checkpoint");
    return cp.verifyInclusion(new InclusionProof(j.path("leafIndex").asLong(), j.path("treeSize").asLong(), hashes), leafHash);
  }

  private HttpResponse<String> send(String bearer, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + bearer);
    if (body == null) {
      b.GET();
    } else {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

package dev.quartet.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.evidence.Redaction;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.ApiTokenClaims;
import dev.quartet.runtime.ApiTokens;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.runtime.Roles;
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

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Minting API tokens through the real HTTP API and using them against the same plane, one tenant per test. */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenMintingIT {
  private static final String ADMIN_TOKEN = "token-it-admin-token";
  private static final String SECRET = "token-it-secret-0123456789abcdef0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final SecureRandom random = new SecureRandom();
  private PlaneProcess plane;
  private String base;
  private String bootstrap;

  @BeforeAll
  void startControlPlane(Infrastructure infra, @TempDir Path dir) throws Exception {
    AdminKeyPair alice = AdminKeyPair.generate(random);
    Map<String, Integer> thresholds = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 1));
    TrustRoot root = new TrustRoot(1, Instant.parse("2030-01-01T00:00:00Z"), Set.of(alice.publicKey()), 1,
        thresholds, Set.of(), Set.of());
    Path trust = Files.write(dir.resolve("trust.json"), root.signedBy(List.of(alice)).toJsonFile());
    infra.database().provisionOwner("quartet_control", "control-secret", "control");
    bootstrap = infra.kafkaBootstrap();
    plane = PlaneProcess.start(EnumSet.of(Plane.CONTROL), Map.of(
        "micronaut.server.port", -1,
        "quartet.kafka.bootstrap-servers", bootstrap,
        "quartet.kafka.broker-count", 1,
        "quartet.security.admin-token", ADMIN_TOKEN,
        "quartet.security.token-secret", SECRET,
        "quartet.control.trust-file", trust.toString(),
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

  @Test
  void aMintedSubmitterTokenAuthenticatesButIsNoAdmin() throws Exception {
    HttpResponse<String> minted = mint(ADMIN_TOKEN, "ci-bot", List.of(Roles.SUBMITTER), "tok-1", "1h");
    assertEquals(201, minted.statusCode(), minted.body());
    assertEquals("no-store", minted.headers().firstValue("Cache-Control").orElse(""), "a token answer is never cached");
    JsonNode issued = JSON.readTree(minted.body());
    String token = issued.path("token").asText();
    assertEquals("ci-bot", issued.path("subject").asText());
    assertEquals("tok-1", issued.path("tenant").asText());
    Instant expiresAt = Instant.parse(issued.path("expiresAt").asText());
    assertTrue(expiresAt.isAfter(Instant.now().plus(Duration.ofMinutes(55))) && expiresAt.isBefore(Instant.now().plus(Duration.ofMinutes(65))),
        "expires in about an hour, was " + expiresAt);

    HttpResponse<String> publish = send(token, "POST", "/v1/config/snapshots", "{}");
    assertEquals(403, publish.statusCode(), "a SUBMITTER token is authenticated but may not publish config: " + publish.body());
    HttpResponse<String> history = send(token, "GET", "/v1/config/history/tok-1/dev", null);
    assertEquals(403, history.statusCode(), "config reads are admin-only: " + history.body());

    String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
    assertEquals(401, send(tampered, "POST", "/v1/config/snapshots", "{}").statusCode(), "a tampered token is unauthenticated");
  }

  @Test
  void aTokenWithoutAdminCannotMintButAnAdminTokenCan() throws Exception {
    String submitter = JSON.readTree(mint(ADMIN_TOKEN, "ops", List.of(Roles.SUBMITTER, Roles.APPROVER, Roles.DATA_ADMIN), "tok-2", null)
        .body()).path("token").asText();
    HttpResponse<String> refused = mint(submitter, "escalated", List.of(Roles.ADMIN), "*", "1h");
    assertEquals(403, refused.statusCode(), "only ADMIN mints tokens: " + refused.body());

    HttpResponse<String> adminMinted = mint(ADMIN_TOKEN, "second-admin", List.of(Roles.ADMIN), "*", "2h");
    assertEquals(201, adminMinted.statusCode(), adminMinted.body());
    String admin = JSON.readTree(adminMinted.body()).path("token").asText();
    HttpResponse<String> byJwtAdmin = mint(admin, "delegated", List.of(Roles.AUDITOR), "tok-2", "10m");
    assertEquals(201, byJwtAdmin.statusCode(), "an ADMIN API token mints too: " + byJwtAdmin.body());
  }

  @Test
  void expiredForeignAndUnknownIssuerTokensAreUnauthenticated() throws Exception {
    Instant now = Instant.now();
    var expired = new ApiTokenClaims("late", List.of(Roles.ADMIN), "*", now.minusSeconds(7200), now.minusSeconds(3600), "jti-expired");
    String expiredToken = new ApiTokens(SECRET.getBytes(StandardCharsets.UTF_8), Duration.ZERO).sign(expired);
    assertEquals(401, mint(expiredToken, "x", List.of(Roles.SUBMITTER), "tok-3", "1h").statusCode(), "expired");

    var current = new ApiTokenClaims("other", List.of(Roles.ADMIN), "*", now, now.plusSeconds(3600), "jti-foreign");
    String foreign = new ApiTokens("some-other-installation-secret-0123456789".getBytes(StandardCharsets.UTF_8), Duration.ZERO)
        .sign(current);
    assertEquals(401, mint(foreign, "x", List.of(Roles.SUBMITTER), "tok-3", "1h").statusCode(), "signed with another secret");
    assertEquals(401, mint(null, "x", List.of(Roles.SUBMITTER), "tok-3", "1h").statusCode(), "no token at all");
  }

  @Test
  void badRequestsAreProblems() throws Exception {
    for (var bad : List.of(
        List.of(List.of("ROOT"), "tok-4", "1h", "unknown role"),
        List.of(List.of(Roles.SUBMITTER), "*", "1h", "tenant \"*\""),
        List.of(List.of(Roles.SUBMITTER), "Not_A_Tenant", "1h", "tenant must"),
        List.of(List.of(Roles.SUBMITTER), "tok-4", "31d", "longer than the maximum"),
        List.of(List.of(), "tok-4", "1h", "at least one role"))) {
      @SuppressWarnings("unchecked")
      HttpResponse<String> r = mint(ADMIN_TOKEN, "s", (List<String>) bad.get(0), (String) bad.get(1), (String) bad.get(2));
      assertEquals(400, r.statusCode(), bad + " -> " + r.body());
      assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
      assertTrue(JSON.readTree(r.body()).path("detail").asText().contains((String) bad.get(3)), bad + " -> " + r.body());
    }
  }

  @Test
  void everyIssuedTokenIsEvidenceWithoutTheToken() throws Exception {
    JsonNode issued = JSON.readTree(mint(ADMIN_TOKEN, "auditor-7", List.of(Roles.AUDITOR), "tok-5", "30m").body());
    String token = issued.path("token").asText();
    String jti = issued.path("id").asText();
    List<EvidenceEvent> events = new ArrayList<>();
    EventCodec codec = EventCodec.standard();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
        "isolation.level", "read_committed", "auto.offset.reset", "earliest", "group.id", "token-it-" + random.nextLong()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TopicCatalog.EVIDENCE_EVENTS));
      await("token.issued for " + jti).atMost(Duration.ofSeconds(30)).until(() -> {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          if (codec.decode(r.value()) instanceof EvidenceEvent e && TokenIssuer.TOKEN_ISSUED.equals(e.getType())
              && jti.equals(e.getAttributes().get("jti"))) {
            events.add(e);
            assertFalse(new String(r.value(), StandardCharsets.ISO_8859_1).contains(token.substring(token.lastIndexOf('.') + 1)),
                "the evidence record never carries the token's signature");
            assertFalse(new String(r.value(), StandardCharsets.ISO_8859_1).contains(token), "nor the token");
          }
        }
        return !events.isEmpty();
      });
    }
    EvidenceEvent e = events.get(0);
    assertEquals("tok-5", e.getTenant());
    assertTrue(Redaction.isCommitment(e.getAttributes().get("subject")),
        "the subject is redacted (a salted commitment), was " + e.getAttributes().get("subject"));
    assertFalse(e.toString().contains("auditor-7"), "the event never names the subject in clear");
    assertEquals(Roles.AUDITOR, e.getAttributes().get("roles"));
    assertEquals(issued.path("expiresAt").asText(), e.getAttributes().get("expiresAt"));
    assertEquals("admin", e.getAttributes().get("principal"));
    assertFalse(e.toString().contains(token), "the decoded event never carries the token");
  }

  private HttpResponse<String> mint(String bearer, String subject, List<String> roles, String tenant, String ttl) throws Exception {
    Map<String, Object> body = new TreeMap<>();
    body.put("subject", subject);
    body.put("roles", roles);
    body.put("tenant", tenant);
    if (ttl != null) {
      body.put("ttl", ttl);
    }
    return send(bearer, "POST", "/v1/tokens", JSON.writeValueAsString(body));
  }

  private HttpResponse<String> send(String bearer, String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (json == null) {
      b.GET();
    } else {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}

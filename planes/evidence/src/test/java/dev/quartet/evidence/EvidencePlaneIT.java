package dev.quartet.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidencePlaneIT {
  private static final String TOKEN = "evidence-it-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private PlaneProcess plane;
  private String base;
  private String bootstrap;
  private Map<String, Object> properties;
  private Instant started;

  @BeforeAll
  void startEvidencePlane(Infrastructure infra) {
    infra.database().provisionOwner("quartet_evidence", "evidence-secret", "evidence");
    bootstrap = infra.kafkaBootstrap();
    properties = Map.of(
        "micronaut.server.port", -1,
        "quartet.kafka.bootstrap-servers", bootstrap,
        "quartet.kafka.broker-count", 1,
        "quartet.security.admin-token", TOKEN,
        "datasources.evidence.url", infra.jdbcUrl(),
        "datasources.evidence.username", "quartet_evidence",
        "datasources.evidence.password", "evidence-secret");
    started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
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
  void ownPlaneStartedEventIsIndexedAndQueryable() {
    // Other tests of this JVM share the evidence topic (EvidenceLogIT starts planes too), so only
    // events since this class started its plane count.
    await("the evidence plane's PlaneStarted in the index").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode page = getJson("/v1/evidence/events?type=PlaneStarted&from=" + started);
      assertTrue(page.path("events").size() >= 1, "PlaneStarted events since " + started + ", saw " + page);
      page.path("events").forEach(e -> assertEquals("evidence", e.path("plane").asText(), "plane of " + e));
    });
  }

  @Test
  void everyApiNeedsAToken() throws Exception {
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/evidence/events")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode(), "anonymous query");
    HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/evidence/events"))
        .header("Authorization", "Bearer not-the-token").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, wrong.statusCode(), "wrong token");
  }

  @Test
  void healthIsOpenAndReportsKafkaDatabaseAndIndexer() throws Exception {
    await("readiness UP").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health/readiness"))
          .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), "readiness: " + health.body());
      JsonNode details = JSON.readTree(health.body()).path("details");
      assertEquals("UP", details.path("kafka").path("status").asText(), "kafka indicator in " + health.body());
      assertEquals("UP", details.path("evidenceIndexer").path("status").asText(), "indexer indicator in " + health.body());
      assertTrue(details.has("jdbc"), "jdbc indicator in " + health.body());
    });
    HttpResponse<String> liveness = http.send(HttpRequest.newBuilder(URI.create(base + "/health/liveness")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, liveness.statusCode(), "anonymous liveness");
  }

  @Test
  void metricsAreForAdministratorsOnly() throws Exception {
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode(), "anonymous metrics");
    HttpResponse<String> admin = http.send(HttpRequest.newBuilder(URI.create(base + "/prometheus"))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, admin.statusCode(), "admin metrics: " + admin.body());
    assertTrue(admin.body().contains("jvm_memory_used_bytes"), "Prometheus text format");
  }

  @Test
  void malformedQueryIsAProblemNamingTheParameter() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/evidence/events?from=yesterday"))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
    JsonNode problem = JSON.readTree(r.body());
    assertTrue(problem.path("detail").asText().startsWith("from must be an ISO-8601 instant"), r.body());
    assertEquals(400, problem.path("status").asInt());
  }

  @Test
  void undecodableRecordsGoToTheDeadLetterTopicAndIndexingGoesOn() throws Exception {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(TopicCatalog.EVIDENCE_EVENTS, "garbage".getBytes(StandardCharsets.UTF_8))).get();
    }
    Instant secondStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // A second plane process announcing itself proves the indexer survived the garbage record.
    try (PlaneProcess second = PlaneProcess.start(EnumSet.of(Plane.EVIDENCE), properties)) {
      await("indexing after a bad record").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertTrue(getJson("/v1/evidence/events?type=PlaneStarted&from=" + secondStart).path("events").size() >= 1,
              "the second plane's PlaneStarted (since " + secondStart + ") in the index"));
    }
  }

  @Test
  void tailStreamsEventsAsServerSentEvents() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/evidence/tail?after=0"))
        .header("Authorization", "Bearer " + TOKEN).header("Accept", "text/event-stream").build();
    HttpResponse<java.io.InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    CompletableFuture<String> firstData = CompletableFuture.supplyAsync(() -> {
      try (var reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        // Events of other tests may come first on the shared topic: wait for a PlaneStarted one.
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (line.startsWith("data:") && JSON.readTree(line.substring(5).trim()).path("type").asText().equals("PlaneStarted")) {
            return line.substring(5).trim();
          }
        }
        return null;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    JsonNode event = JSON.readTree(firstData.get(30, TimeUnit.SECONDS));
    assertEquals("PlaneStarted", event.path("type").asText(), "tailed event " + event);
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + " answered " + r.body());
    return JSON.readTree(r.body());
  }
}

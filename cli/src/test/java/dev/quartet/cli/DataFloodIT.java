package dev.quartet.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.harness.FreePorts;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood against the data plane deployed on its own ({@code quartet serve data}) in a JVM with a
 * 256 MiB heap: ten times its in-flight byte budget offered at once. Some uploads get 429 with
 * Retry-After, none a 5xx, the process survives without an OutOfMemoryError, and every payload
 * that got 201 reads back byte for byte.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataFloodIT {
  private static final String TOKEN = "data-flood-it-token";
  // At least the 10 MiB input limit (the plane checks that at start), so one maximal upload always fits.
  private static final int BUDGET = 12 * 1024 * 1024;
  private static final int PAYLOAD = 2 * 1024 * 1024;
  private Process plane;
  private Path errors;
  private String url;

  @BeforeAll
  void start(Infrastructure infra, @TempDir Path dir) throws Exception {
    infra.database().provisionOwner("quartet_data", "flood-secret", "data");
    int port = FreePorts.any();
    url = "http://127.0.0.1:" + port;
    String classpath = Path.of("target/classes").toAbsolutePath() + ":" + Files.readString(Path.of("target/classpath.txt")).strip();
    String java = ProcessHandle.current().info().command().orElse("java");
    errors = dir.resolve("plane.err");
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dquartet.data.backpressure.max-in-flight-bytes=" + BUDGET, "-cp", classpath, "dev.quartet.cli.Quartet", "serve", "data")
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("plane.out").toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()));
    Map<String, String> env = pb.environment();
    env.put("QUARTET_KAFKA_BOOTSTRAP", infra.kafkaBootstrap());
    env.put("QUARTET_KAFKA_BROKERS", "1");
    env.put("QUARTET_DB_URL", infra.jdbcUrl());
    env.put("QUARTET_DATA_DB_USER", "quartet_data");
    env.put("QUARTET_DATA_DB_PASSWORD", "flood-secret");
    env.put("QUARTET_ADMIN_TOKEN", TOKEN);
    env.put("QUARTET_HTTP_PORT", Integer.toString(port));
    env.put("QUARTET_BLOB_DIR", dir.resolve("blobs").toString());
    env.put("QUARTET_DATA_KEYS_DIR", dir.resolve("keys").toString());
    env.put("QUARTET_DATA_DIR", dir.toString());
    plane = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    await("the data plane is ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
      assertTrue(plane.isAlive(), "the data plane exited: " + tail());
      try {
        return http.send(HttpRequest.newBuilder(URI.create(url + "/health/readiness")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (java.io.IOException notYet) {
        return false;
      }
    });
  }

  @AfterAll
  void stop() throws Exception {
    if (plane != null) {
      plane.destroy();
      if (!plane.waitFor(20, TimeUnit.SECONDS)) {
        plane.destroyForcibly();
      }
    }
  }

  @Test
  void tenTimesTheBudgetAtOnceGives429sNoOutOfMemoryAndLosesNothingAccepted() throws Exception {
    int offers = 10 * BUDGET / PAYLOAD;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    Map<Integer, byte[]> bodies = new ConcurrentHashMap<>();
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < offers; i++) {
      byte[] body = new byte[PAYLOAD];
      new Random(i).nextBytes(body);
      bodies.put(i, body);
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
      sent.add(http.sendAsync(HttpRequest.newBuilder(URI.create(url + "/v1/payloads?classification=CONFIDENTIAL"))
          .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + TOKEN).header("X-Content-SHA256", sha)
          .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    Map<Integer, String> accepted = new ConcurrentHashMap<>();
    int refused = 0;
    for (int i = 0; i < offers; i++) {
      HttpResponse<String> r = sent.get(i).get(180, TimeUnit.SECONDS);
      if (r.statusCode() == 201) {
        accepted.put(i, new ObjectMapper().readTree(r.body()).path("id").asText());
      } else {
        assertEquals(429, r.statusCode(), "an upload is accepted or refused as overload, nothing else: " + r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent(), "429 says when to come back");
        refused++;
      }
    }
    assertTrue(refused > 0, "ten times the budget at once must be refused in part");
    assertFalse(accepted.isEmpty(), "and accepted in part");
    assertTrue(plane.isAlive(), "the data plane survived the flood: " + tail());
    assertFalse(Files.readString(errors).contains("OutOfMemoryError"), "no OutOfMemoryError: " + tail());
    for (Map.Entry<Integer, String> a : accepted.entrySet()) {
      HttpResponse<byte[]> back = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/payloads/" + a.getValue()))
          .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, back.statusCode(), "accepted payload " + a.getValue());
      assertArrayEquals(bodies.get(a.getKey()), back.body(), "accepted payload " + a.getValue() + " byte for byte");
    }
  }

  private String tail() {
    try {
      String all = Files.readString(errors);
      return all.substring(Math.max(0, all.length() - 2000));
    } catch (java.io.IOException e) {
      return "(no stderr: " + e.getMessage() + ")";
    }
  }
}

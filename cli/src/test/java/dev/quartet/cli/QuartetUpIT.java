package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.harness.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `quartet up` as a user runs it: a separate JVM, stopped with SIGTERM (what Ctrl-C sends too). */
class QuartetUpIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private Process up;

  @AfterEach
  void stopUp() throws InterruptedException {
    if (up != null && up.isAlive()) {
      up.destroy();
      if (!up.waitFor(60, TimeUnit.SECONDS)) {
        up.destroyForcibly();
      }
    }
  }

  @Test
  void upRecordsEveryPlaneStartAndKeepsEvidenceAcrossRestarts(@TempDir Path tmp) throws Exception {
    Path dataDir = tmp.resolve("data"); // its siblings (logs, documents) are cleaned up with tmp
    int port = FreePorts.any();
    Instant before = Instant.now().minusSeconds(1);

    startUp(dataDir, port);
    assertTrue(Files.readString(dataDir.resolve("bootstrap.servers")).strip().matches("127\\.0\\.0\\.1:\\d+"),
        "bootstrap.servers holds the broker address");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("admin.token"))),
        "admin.token mode");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("dev-admin.key"))),
        "dev-admin.key mode");
    assertTrue(Files.readString(dataDir.resolve("dev-admin.pub")).startsWith("-----BEGIN PUBLIC KEY-----"), "dev-admin.pub is SPKI PEM");
    assertTrue(Files.readString(dataDir.resolve("trust.json")).contains("application/vnd.quartet.trust+json"),
        "trust.json is a signed trust root");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("evidence-checkpoint.key"))),
        "the evidence checkpoint key is private");
    byte[] trustBefore = Files.readAllBytes(dataDir.resolve("trust.json"));
    awaitPlaneStarted(dataDir, port, before, 4);
    assertEquals("1", headVersion(dataDir, port), "the reference configuration is published as v1 of default/dev");
    awaitWorkerApplied(dataDir, port, 1);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("token.secret"))),
        "token.secret mode");
    newcomersTaskRuns(tmp, dataDir, port);
    stop();

    startUp(dataDir, port);
    assertTrue(java.util.Arrays.equals(trustBefore, Files.readAllBytes(dataDir.resolve("trust.json"))),
        "a restart keeps the trust root it pinned");
    List<JsonNode> events = awaitPlaneStarted(dataDir, port, before, 8);
    assertEquals("1", headVersion(dataDir, port), "a restart does not publish the reference configuration again");
    rollBackToVersionOne(dataDir, port);
    payloadRoundTrip(tmp, dataDir, port);
    assertEquals("2", headVersion(dataDir, port), "the rollback is published as a new version");
    awaitWorkerApplied(dataDir, port, 2);
    for (String plane : List.of("control", "execution", "data", "evidence")) {
      assertEquals(2, events.stream().filter(e -> plane.equals(e.path("plane").asText())).count(),
          "PlaneStarted events of " + plane + " after two starts, saw " + events);
    }
  }

  @Test
  void portInUseIsOneLineNamingThePortAndStartsNothing(@TempDir Path dataDir) throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var run = QuartetCommandLineTest.run(Map.of(), "up", "--data-dir", dataDir.toString(),
          "--port", Integer.toString(taken.getLocalPort()));
      assertEquals(1, run.exitCode(), "exit code; stderr: " + run.err());
      assertEquals("quartet: HTTP port " + taken.getLocalPort() + " on 127.0.0.1 is already in use", run.err().strip());
      assertTrue(Files.notExists(dataDir.resolve("kafka")), "nothing started");
    }
  }

  @Test
  void unwritableDataDirIsOneLineNamingThePath(@TempDir Path tmp) throws IOException {
    Path blocker = Files.writeString(tmp.resolve("a-file"), "in the way");
    Path dataDir = blocker.resolve("data");
    var run = QuartetCommandLineTest.run(Map.of(), "up", "--data-dir", dataDir.toString(), "--port", Integer.toString(FreePorts.any()));
    assertEquals(1, run.exitCode(), "exit code; stderr: " + run.err());
    assertTrue(run.err().strip().startsWith("quartet: data dir " + dataDir + " is not writable"), run.err());
    assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
  }

  private void startUp(Path dataDir, int port) throws IOException {
    String classpath = Path.of("target/classes").toAbsolutePath() + ":" + Files.readString(Path.of("target/classpath.txt")).strip();
    // The same JVM binary as this test, so the suite checks the JDK it runs on.
    String java = ProcessHandle.current().info().command().orElse("java");
    Path errors = dataDir.resolveSibling(dataDir.getFileName() + "-up.err");
    up = new ProcessBuilder(java, "-Xmx768m", "-XX:+UseSerialGC", "-cp", classpath, "dev.quartet.cli.Quartet",
        "up", "--data-dir", dataDir.toString(), "--port", Integer.toString(port))
        .redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()))
        .start();
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> {
      try (var r = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
        r.lines().forEach(out::add);
      } catch (IOException e) {
        out.add("<stdout closed: " + e.getMessage() + ">");
      }
    });
    reader.setDaemon(true);
    reader.start();
    Process started = up;
    await("quartet up to print that it is up").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          if (!started.isAlive()) {
            throw new AssertionError("quartet up exited with " + started.exitValue() + "; stdout " + out
                + "; stderr ends with:\n" + tail(errors));
          }
          return out.stream().anyMatch(l -> l.startsWith("Quartet is up"));
        });
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "<no stderr: " + e.getMessage() + ">";
    }
  }

  private void stop() throws InterruptedException {
    up.destroy(); // SIGTERM, like Ctrl-C: the shutdown hook stops planes, Kafka, PostgreSQL
    assertTrue(up.waitFor(60, TimeUnit.SECONDS), "quartet up stops within 60 s of SIGTERM");
  }

  /** A CONFIDENTIAL payload above the inline threshold goes in and comes back byte for byte; one over the limit is refused. */
  /** The task a newcomer tries first runs at once on the worker of quartet up, under the reference config. */
  private static void newcomersTaskRuns(Path tmp, Path dataDir, int port) throws IOException {
    Path in = Files.writeString(tmp.resolve("hello.txt"), "hello quartet");
    var run = QuartetCommandLineTest.run(Map.of("QUARTET_DATA_DIR", dataDir.toString()), "--server", "http://127.0.0.1:" + port,
        "task", "submit", "--type", "transform", "--input", in.toString(), "--param", "op=uppercase", "--wait");
    assertEquals(0, run.exitCode(), "task submit --wait; stdout: " + run.out() + " stderr: " + run.err());
    assertTrue(run.out().contains("-> SUCCEEDED"), run.out());
  }

  private static void payloadRoundTrip(Path tmp, Path dataDir, int port) throws IOException {
    Map<String, String> env = Map.of("QUARTET_DATA_DIR", dataDir.toString());
    String server = "http://127.0.0.1:" + port;
    byte[] content = new byte[300 * 1024];
    new java.util.Random(7).nextBytes(content);
    Path in = Files.write(tmp.resolve("payload.bin"), content);
    var put = QuartetCommandLineTest.run(env, "--server", server, "--output", "json", "payload", "put", "--classification",
        "CONFIDENTIAL", in.toString());
    assertEquals(0, put.exitCode(), "payload put; stderr: " + put.err());
    JsonNode ref = JSON.readTree(put.out().strip());
    assertEquals("CONFIDENTIAL", ref.path("classification").asText());
    Path back = tmp.resolve("payload.back");
    var get = QuartetCommandLineTest.run(env, "--server", server, "payload", "get", ref.path("ref").asText(), "--out", back.toString());
    assertEquals(0, get.exitCode(), "payload get; stderr: " + get.err());
    assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(back)), "payload comes back byte for byte");
    Path big = Files.write(tmp.resolve("big.bin"), new byte[10 * 1024 * 1024 + 1]);
    var tooBig = QuartetCommandLineTest.run(env, "--server", server, "payload", "put", "--classification", "PUBLIC", big.toString());
    assertEquals(1, tooBig.exitCode(), "over the limit is rejected: " + tooBig.err());
    assertTrue(tooBig.err().contains("413") && tooBig.err().contains("10485760"), "names the limit: " + tooBig.err());
  }

  /** An admin's rollback, from the CLI only: prepare, sign with the dev key, publish. */
  private static void rollBackToVersionOne(Path dataDir, int port) {
    Map<String, String> env = Map.of("QUARTET_DATA_DIR", dataDir.toString());
    String server = "http://127.0.0.1:" + port;
    Path doc = dataDir.resolveSibling(dataDir.getFileName() + "-rollback.yaml");
    Path envelope = dataDir.resolveSibling(dataDir.getFileName() + "-rollback.dsse.json");
    var prepared = QuartetCommandLineTest.run(env, "--server", server, "config", "rollback", "--to", "1", "--out", doc.toString());
    assertEquals(0, prepared.exitCode(), "rollback; stderr: " + prepared.err());
    var signed = QuartetCommandLineTest.run(env, "config", "sign", "--key", dataDir.resolve("dev-admin.key").toString(),
        "--in", doc.toString(), "--out", envelope.toString());
    assertEquals(0, signed.exitCode(), "sign; stderr: " + signed.err());
    var published = QuartetCommandLineTest.run(env, "--server", server, "config", "publish", envelope.toString());
    assertEquals(0, published.exitCode(), "publish; stderr: " + published.err());
    var replayed = QuartetCommandLineTest.run(env, "--server", server, "config", "publish", envelope.toString());
    assertEquals(1, replayed.exitCode(), "publishing the same version again is rejected: " + replayed.err());
  }

  /** The embedded worker verified and applied {@code version} itself and admits work under a lease. */
  private static void awaitWorkerApplied(Path dataDir, int port, long version) throws IOException {
    String token = Files.readString(dataDir.resolve("admin.token")).strip();
    var http = java.net.http.HttpClient.newHttpClient();
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/workers/self"))
        .header("Authorization", "Bearer " + token).build();
    await("worker applies v" + version).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      JsonNode worker = JSON.readTree(response.body());
      assertEquals(version, worker.path("configVersion").asLong(), "applied version in " + worker);
      assertTrue(worker.path("admitting").asBoolean(), "admitting under a lease: " + worker);
    });
  }

  private static String headVersion(Path dataDir, int port) throws IOException {
    var run = QuartetCommandLineTest.run(Map.of("QUARTET_DATA_DIR", dataDir.toString()),
        "--server", "http://127.0.0.1:" + port, "--output", "json", "config", "get", "--scope", "default/dev");
    assertEquals(0, run.exitCode(), "config get; stderr: " + run.err());
    return JSON.readTree(run.out().strip()).path("version").asText();
  }

  private static List<JsonNode> awaitPlaneStarted(Path dataDir, int port, Instant from, int expected) {
    List<JsonNode> seen = new ArrayList<>();
    await("PlaneStarted events").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      var run = QuartetCommandLineTest.run(Map.of("QUARTET_DATA_DIR", dataDir.toString()),
          "--server", "http://127.0.0.1:" + port, "--output", "json",
          "evidence", "query", "--from", from.toString(), "--to", Instant.now().plusSeconds(60).toString(), "--type", "PlaneStarted");
      assertEquals(0, run.exitCode(), "query exit code; stderr: " + run.err());
      seen.clear();
      for (String line : run.out().strip().lines().toList()) {
        seen.add(JSON.readTree(line));
      }
      assertEquals(expected, seen.size(), "PlaneStarted events, saw " + run.out());
    });
    return seen;
  }
}

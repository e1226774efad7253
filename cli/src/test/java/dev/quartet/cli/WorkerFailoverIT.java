package dev.quartet.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.harness.FreePorts;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.ConfigApplied;
import dev.quartet.schemas.EventCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once under worker loss, with workers as their own JVMs: a worker killed with SIGKILL in
 * the middle of an {@code http} task, and a worker frozen with SIGSTOP (a zombie) that wakes after
 * its lease moved. The task ends SUCCEEDED once, by the surviving worker with a higher lease epoch;
 * the test's HTTP server, which deduplicates by Idempotency-Key, applies the side effect once; the
 * zombie's late writes never become visible.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerFailoverIT {
  private static final String TOKEN = "worker-failover-it-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventCodec codec = EventCodec.standard();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Set<String> effects = ConcurrentHashMap.newKeySet();
  private final Map<String, CountDownLatch> firstCallRelease = new ConcurrentHashMap<>();
  /** Every worker JVM started, by id; a later test's queue group may still hold an earlier test's survivor. */
  private final Map<String, Process> workers = new ConcurrentHashMap<>();
  private PlaneProcess planes;
  private HttpServer effectServer;
  private Map<String, String> env;
  private String server;
  private Path dir;
  private Path trustFile;
  private String queue;
  private String bootstrap;
  private int effectPort;

  @BeforeAll
  void start(Infrastructure infra, @TempDir Path tmp) throws Exception {
    dir = tmp;
    bootstrap = infra.kafkaBootstrap();
    trustFile = DevelopmentTrust.ensure(dir, Clock.systemUTC()).trustFile();
    effectServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    effectServer.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    effectServer.createContext("/effect", exchange -> {
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      exchange.getRequestBody().readAllBytes();
      requests.computeIfAbsent(String.valueOf(key), k -> new AtomicInteger()).incrementAndGet();
      if (key != null && effects.add(key)) {
        // First time this key is seen: apply the effect, then hold the answer so the test can
        // kill or freeze the caller while its call is in flight.
        try {
          firstCallRelease.computeIfAbsent(key, k -> new CountDownLatch(1)).await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = ("effect " + key).getBytes(StandardCharsets.UTF_8);
      try {
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      } catch (IOException e) {
        // the caller died or gave up: nothing to answer
      }
      exchange.close();
    });
    effectServer.start();
    effectPort = effectServer.getAddress().getPort();

    String suffix = infra.unique("x").replaceAll("[^a-z0-9]", "");
    String scope = "fail" + suffix.substring(Math.max(0, suffix.length() - 8)) + "/dev";
    queue = scope + "/main";
    Map<String, Object> p = PlaneDatabases.provision(infra, "failover_it", suffix, "control", "execution", "data");
    int port = FreePorts.any();
    server = "http://127.0.0.1:" + port;
    p.put("micronaut.server.port", port);
    p.put("quartet.kafka.bootstrap-servers", bootstrap);
    p.put("quartet.kafka.broker-count", 1);
    p.put("quartet.security.admin-token", TOKEN);
    p.put("quartet.control.trust-file", trustFile.toString());
    p.put("quartet.control.lease.key-file", DevelopmentTrust.leaseKeyFile(dir).toString());
    p.put("quartet.data.blob-store.dir", dir.resolve("blobs").toString());
    p.put("quartet.data.encryption.keys-dir", dir.resolve("keys").toString());
    p.put("quartet.execution.tasks.projection-group", infra.unique("failover-projection"));
    p.put("quartet.execution.tasks.watch-interval", "100ms");
    planes = PlaneProcess.start(EnumSet.of(Plane.CONTROL, Plane.EXECUTION, Plane.DATA), p);
    env = Map.of("QUARTET_TOKEN", TOKEN, "QUARTET_DATA_DIR", dir.toString());
    publish(scope);
  }

  @AfterAll
  void stop() {
    firstCallRelease.values().forEach(CountDownLatch::countDown);
    for (Process w : workers.values()) {
      signal(w, "CONT");
      w.destroyForcibly();
    }
    if (planes != null) {
      planes.close();
    }
    if (effectServer != null) {
      effectServer.stop(0);
    }
  }

  @Test
  void aKilledWorkersTaskIsResumedElsewhereAndItsSideEffectHappensOnce() throws Exception {
    startWorkers("kill-a", "kill-b");
    String id = submit();
    String key = id + "/step-1";
    await("the first call reached the server").atMost(Duration.ofSeconds(60)).until(() -> effects.contains(key));
    String holder = runningWorker(id);
    Process victim = workers.get(holder);
    victim.destroyForcibly();  // SIGKILL: no shutdown hook, no goodbye to the group
    assertTrue(victim.waitFor(10, TimeUnit.SECONDS));

    JsonNode task = awaitEnd(id);
    assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
    assertNotEquals(holder, task.path("workerId").asText(), "resumed by the other worker");
    assertEquals(1, effects.stream().filter(key::equals).count());
    assertTrue(requests.get(key).get() >= 2, "the survivor called again with the same key: " + requests);
    List<JsonNode> path = transitions(id);
    long firstEpoch = epochOf(path, "LEASED", holder);
    long secondEpoch = epochOf(path, "LEASED", task.path("workerId").asText());
    assertTrue(secondEpoch > firstEpoch, "re-leased with a higher epoch: " + path);
    assertEquals(1, path.stream().filter(t -> "SUCCEEDED".equals(t.path("to").asText())).count(), "one SUCCEEDED: " + path);
    firstCallRelease.get(key).countDown();
  }

  @Test
  void aFrozenWorkerThatWakesAfterItsLeaseMovedCannotWrite() throws Exception {
    startWorkers("zombie-a", "zombie-b");
    String id = submit();
    String key = id + "/step-1";
    await("the first call reached the server").atMost(Duration.ofSeconds(60)).until(() -> effects.contains(key));
    String holder = runningWorker(id);
    Process zombie = workers.get(holder);
    signal(zombie, "STOP");
    JsonNode task = awaitEnd(id);
    String survivor = task.path("workerId").asText();
    assertNotEquals(holder, survivor);

    // Wake the zombie and let its in-flight call complete; it finds its lease gone.
    Path zombieLog = dir.resolve(holder + ".err");
    signal(zombie, "CONT");
    firstCallRelease.get(key).countDown();
    await("the zombie noticed it lost its lease").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          String log = Files.readString(zombieLog);
          return log.contains("Task lease lost worker=" + holder) || log.contains("Task runner turn failed");
        });
    // Whatever the zombie tried after waking is invisible to read_committed readers.
    assertEquals("SUCCEEDED", awaitEnd(id).path("state").asText());
    List<JsonNode> path = transitions(id);
    assertEquals(1, path.stream().filter(t -> "SUCCEEDED".equals(t.path("to").asText())).count(), "one SUCCEEDED: " + path);
    assertEquals(survivor, path.get(path.size() - 1).path("workerId").asText(), "the last word is the survivor's: " + path);
    assertEquals(1, effects.stream().filter(key::equals).count(), "the side effect happened once");
    assertTrue(zombie.isAlive(), "the zombie lived on; it just could not write");
  }

  /** Starts worker JVMs and waits until each applied the config. */
  private void startWorkers(String... ids) throws Exception {
    String classpath = Path.of("target/classes").toAbsolutePath() + ":" + Files.readString(Path.of("target/classpath.txt")).strip();
    String java = ProcessHandle.current().info().command().orElse("java");
    Map<String, Process> started = new HashMap<>();
    for (String id : ids) {
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath,
          "dev.quartet.cli.Quartet", "worker", "--id", id, "--queue", queue, "--trust", trustFile.toString(),
          "--bootstrap", bootstrap)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".out").toFile()))
          .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".err").toFile()));
      pb.environment().put("QUARTET_WORKER_DATA_URL", server);
      pb.environment().put("QUARTET_WORKER_TOKEN", TOKEN);
      pb.environment().put("QUARTET_WORKER_TASK_LEASE", "6s");
      Process process = pb.start();
      workers.put(id, process);
      started.put(id, process);
    }
    try (KafkaConsumer<byte[], byte[]> acks = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "auto.offset.reset", "earliest", "group.id", "failover-acks-" + System.nanoTime()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      acks.subscribe(List.of(TopicCatalog.CONFIG_ACKS));
      Set<String> applied = ConcurrentHashMap.newKeySet();
      await("workers applied the config").atMost(Duration.ofSeconds(90)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> r : acks.poll(Duration.ofMillis(200))) {
          if (codec.decode(r.value()) instanceof ConfigApplied a) {
            applied.add(a.getWorkerId());
          }
        }
        return applied.containsAll(started.keySet());
      });
    }
  }

  private String submit() throws Exception {
    Path input = Files.writeString(dir.resolve("effect-" + System.nanoTime() + ".txt"), "charge 1 EUR");
    var run = cli("--output", "json", "task", "submit", "--type", "fetch", "--input", input.toString(), "--queue", queue,
        "--param", "url=http://127.0.0.1:" + effectPort + "/effect", "--param", "method=POST");
    assertEquals(0, run.exitCode(), run.err());
    return JSON.readTree(run.out()).path("id").asText();
  }

  private String runningWorker(String id) {
    String[] holder = {null};
    await("RUNNING with a worker").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      JsonNode t = JSON.readTree(cli("--output", "json", "task", "get", id).out());
      holder[0] = t.path("workerId").asText(null);
      return "RUNNING".equals(t.path("state").asText()) && holder[0] != null;
    });
    return holder[0];
  }

  private JsonNode awaitEnd(String id) {
    JsonNode[] task = {null};
    await("task " + id + " ended").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      task[0] = JSON.readTree(cli("--output", "json", "task", "get", id).out());
      return Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(task[0].path("state").asText());
    });
    return task[0];
  }

  private List<JsonNode> transitions(String id) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server + "/v1/tasks/" + id + "/transitions"))
        .header("Authorization", "Bearer " + TOKEN).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    List<JsonNode> path = new ArrayList<>();
    JSON.readTree(response.body()).forEach(path::add);
    return path;
  }

  private static long epochOf(List<JsonNode> path, String state, String worker) {
    return path.stream().filter(t -> state.equals(t.path("to").asText()) && worker.equals(t.path("workerId").asText()))
        .mapToLong(t -> t.path("leaseEpoch").asLong()).max().orElseThrow(() -> new AssertionError(state + " by " + worker + ": " + path));
  }

  private static void signal(Process p, String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot send SIG" + signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The reference configuration with the test server as the only egress, as v1 of {@code scope}. */
  @SuppressWarnings("unchecked")
  private void publish(String scope) throws Exception {
    Map<String, Object> doc = ConfigDocuments.fromYaml(ConfigDocuments.referenceYaml());
    doc.put("scope", scope);
    Map<String, Object> body = (Map<String, Object>) doc.get("body");
    Map<String, Object> policies = new HashMap<>((Map<String, Object>) body.get("policies"));
    policies.put("egress", Map.of("allow", List.of("127.0.0.1:" + effectPort)));
    body.put("policies", policies);
    DsseEnvelope envelope = ConfigDocuments.sign(doc, DevelopmentTrust.ensure(dir, Clock.systemUTC()).adminKey(), null, Instant.now());
    Path file = Files.write(dir.resolve("snap.dsse.json"), envelope.toJsonFile());
    var published = cli("--output", "json", "config", "publish", file.toString());
    assertEquals(0, published.exitCode(), "publish; stderr: " + published.err());
  }

  private QuartetCommandLineTest.Run cli(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--server";
    all[1] = server;
    System.arraycopy(args, 0, all, 2, args.length);
    return QuartetCommandLineTest.run(env, all);
  }
}

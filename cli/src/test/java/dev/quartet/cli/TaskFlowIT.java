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
import dev.quartet.execution.WorkerProcess;
import dev.quartet.harness.FreePorts;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks end to end through the CLI: control, execution (with its worker) and data planes on the
 * real broker and database; the worker applies a signed config published with the CLI, then runs
 * tasks submitted with {@code quartet task submit}, refuses what the policy refuses, parks what
 * needs an approver, and interrupts what is cancelled.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskFlowIT {
  private static final String TOKEN = "task-flow-it-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventCodec codec = EventCodec.standard();
  private PlaneProcess planes;
  private Map<String, String> env;
  private String server;
  private Path dir;
  private String queue;
  private String bootstrap;
  private String scope;
  private String v1Digest;
  private HttpServer flaky;
  private final Map<String, AtomicInteger> flakyCalls = new ConcurrentHashMap<>();

  @BeforeAll
  void startPlanes(Infrastructure infra, @TempDir Path tmp) throws Exception {
    dir = tmp;
    bootstrap = infra.kafkaBootstrap();
    DevelopmentTrust trust = DevelopmentTrust.ensure(dir, Clock.systemUTC());
    String suffix = infra.unique("x").replaceAll("[^a-z0-9]", "");
    String scope = "tasks" + suffix.substring(Math.max(0, suffix.length() - 8)) + "/dev";
    queue = scope + "/main";
    Map<String, Object> p = PlaneDatabases.provision(infra, "task_it", suffix, "control", "execution", "data");
    int port = FreePorts.any();
    server = "http://127.0.0.1:" + port;
    p.put("micronaut.server.port", port);
    p.put("quartet.kafka.bootstrap-servers", bootstrap);
    p.put("quartet.kafka.broker-count", 1);
    p.put("quartet.security.admin-token", TOKEN);
    p.put("quartet.security.token-secret", "task-flow-it-secret-of-at-least-32-bytes");
    p.put("quartet.control.trust-file", trust.trustFile().toString());
    p.put("quartet.control.lease.key-file", DevelopmentTrust.leaseKeyFile(dir).toString());
    p.put("quartet.data.blob-store.dir", dir.resolve("blobs").toString());
    p.put("quartet.data.encryption.keys-dir", dir.resolve("keys").toString());
    p.put("quartet.worker.enabled", true);
    p.put("quartet.worker.id", "task-it-" + suffix);
    p.put("quartet.worker.queue", queue);
    p.put("quartet.worker.trust-file", trust.trustFile().toString());
    p.put("quartet.worker.tick-interval", "200ms");
    p.put("quartet.worker.tasks.data-url", server);
    p.put("quartet.worker.tasks.data-token", TOKEN);
    p.put("quartet.worker.tasks.backoff-initial", "100ms");
    p.put("quartet.execution.tasks.projection-group", infra.unique("task-projection"));
    p.put("quartet.execution.tasks.watch-interval", "100ms");
    // Answers 503 to the first two calls of each idempotency key, then 200: a retryable failure twice.
    flaky = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    flaky.createContext("/flaky", exchange -> {
      exchange.getRequestBody().readAllBytes();
      int n = flakyCalls.computeIfAbsent(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")),
          k -> new AtomicInteger()).incrementAndGet();
      byte[] body = ("{\"call\":" + n + "}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(n <= 2 ? 503 : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    flaky.start();
    planes = PlaneProcess.start(EnumSet.of(Plane.CONTROL, Plane.EXECUTION, Plane.DATA), p);
    env = Map.of("QUARTET_TOKEN", TOKEN, "QUARTET_DATA_DIR", dir.toString());
    publish(scope);
    await("the worker applied v1").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      var self = cli("--output", "json", "task", "list", "--queue", queue);  // also proves the API answers
      return self.exitCode() == 0 && workerConfigVersion() == 1;
    });
  }

  @AfterAll
  void stop() {
    if (planes != null) {
      planes.close();
    }
    if (flaky != null) {
      flaky.stop(0);
    }
  }

  /** Runs last: it publishes v2, which re-registers the transform tool. */
  @Test
  @Order(Integer.MAX_VALUE)
  void aReplayRunsUnderTheRecordedConfigOrTheCurrentOneAndShowsTheDifference() throws Exception {
    Path input = Files.writeString(dir.resolve("doc.json"), "{\"name\":\"quartet\",\"tags\":[\"a\",\"b\"]}");
    var run = cli("--output", "json", "task", "submit", "--type", "transform", "--input", input.toString(), "--queue", queue,
        "--wait");
    assertEquals(0, run.exitCode(), run.err());
    String id = JSON.readTree(run.out().lines().findFirst().orElseThrow()).path("id").asText();

    // v2: "transform" now names a process tool that counts bytes.
    Map<String, Object> body = referenceBodyWith(List.of(
        Map.of("name", "transform", "kind", "process", "command", List.of("wc", "-c")),
        Map.of("name", "sleeper", "kind", "process", "command", List.of("sleep", "30"))));
    publishVersion(2, v1Digest, body);
    await("the worker applied v2").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> workerConfigVersion() == 2);

    var recorded = cli("--output", "json", "task", "replay", id, "--wait");
    assertEquals(0, recorded.exitCode(), recorded.err() + recorded.out());
    JsonNode same = JSON.readTree(recorded.out());
    assertEquals(1, same.path("configVersionReplay").asLong(), "ran under the recorded v1: " + same);
    assertEquals("same output", same.path("outputs").asText(), same.toString());
    JsonNode replayTask = JSON.readTree(cli("--output", "json", "task", "get", same.path("replay").asText()).out());
    assertEquals(id, replayTask.path("replayOf").asText());

    var current = cli("--output", "json", "task", "replay", id, "--current-config", "--wait");
    assertEquals(0, current.exitCode(), current.err() + current.out());
    JsonNode diff = JSON.readTree(current.out());
    assertEquals(2, diff.path("configVersionReplay").asLong(), diff.toString());
    assertEquals("outputs differ", diff.path("outputs").asText(), diff.toString());
    assertEquals("$", diff.path("differences").get(0).path("path").asText(), "the whole document became a count: " + diff);
    assertEquals(35, diff.path("differences").get(0).path("after").asInt(), diff.toString());
    assertEquals(diff.path("statePathOriginal"), diff.path("statePathReplay"), "both ran to SUCCEEDED the same way");

    var text = cli("task", "replay", id, "--current-config", "--wait");
    assertTrue(text.out().contains("config:  v1 -> v2") && text.out().contains("~ $:"), text.out());
  }

  @Test
  void aTransformTaskRunsToSucceededStampedWithWorkerLeaseAndConfig() throws Exception {
    Path input = Files.writeString(dir.resolve("in.txt"), "hello quartet");
    var run = cli("--output", "json", "task", "submit", "--type", "transform", "--input", input.toString(), "--param",
        "op=uppercase", "--queue", queue, "--classification", "CONFIDENTIAL", "--wait");
    assertEquals(0, run.exitCode(), "submit --wait; stderr: " + run.err() + " stdout: " + run.out());
    String id = JSON.readTree(run.out().lines().findFirst().orElseThrow()).path("id").asText();

    JsonNode task = JSON.readTree(cli("--output", "json", "task", "get", id).out());
    assertEquals("SUCCEEDED", task.path("state").asText(), task.toString());
    assertEquals(1, task.path("configVersion").asLong());
    assertEquals(64, task.path("configDigest").asText().length());
    assertTrue(task.path("workerId").asText().startsWith("task-it-"), task.toString());
    Path out = dir.resolve("out.txt");
    var got = cli("payload", "get", task.path("outputRef").asText(), "--out", out.toString());
    assertEquals(0, got.exitCode(), got.err());
    assertEquals("HELLO QUARTET", Files.readString(out));

    List<String> path = new ArrayList<>();
    for (String line : run.out().lines().skip(1).toList()) {
      JsonNode t = JSON.readTree(line);
      path.add(t.path("to").asText());
      if (!"PENDING".equals(t.path("to").asText())) {
        assertEquals(task.path("workerId").asText(), t.path("workerId").asText(), "every worker transition names the worker");
        assertTrue(t.path("leaseEpoch").asLong() > 0, "stamped with the lease epoch: " + t);
        assertEquals(task.path("configDigest").asText(), t.path("configDigest").asText());
      }
    }
    assertEquals(List.of("PENDING", "LEASED", "RUNNING", "SUCCEEDED"), path);
    EvidenceEvent succeeded = awaitEvidence(id, "task.succeeded");
    assertEquals(task.path("configDigest").asText(), succeeded.getConfigDigest());
    assertEquals(task.path("outputSha256").asText(), succeeded.getArtifactDigests().get("output"));
    assertTrue(!new String(codec.encode(succeeded), StandardCharsets.UTF_8).contains("hello quartet"),
        "evidence never carries payload content");
  }

  @Test
  void aTaskAskingForLabelsRunsOnlyOnAWorkerWithThoseLabels() throws Exception {
    Path input = Files.writeString(dir.resolve("gpu.txt"), "matrix");
    try (WorkerProcess gpu = WorkerProcess.start(Map.of("quartet.kafka.bootstrap-servers", bootstrap,
        "quartet.worker.id", "gpu-worker", "quartet.worker.queue", queue, "quartet.worker.labels", "gpu=true",
        "quartet.worker.trust-file", DevelopmentTrust.ensure(dir, Clock.systemUTC()).trustFile().toString(),
        "quartet.worker.tick-interval", "200ms", "quartet.worker.tasks.data-url", server,
        "quartet.worker.tasks.data-token", TOKEN))) {
      var run = cli("--output", "json", "task", "submit", "--type", "transform", "--input", input.toString(), "--queue", queue,
          "--label", "gpu=true", "--param", "op=uppercase", "--wait");
      assertEquals(0, run.exitCode(), run.err() + run.out());
      String id = JSON.readTree(run.out().lines().findFirst().orElseThrow()).path("id").asText();
      assertEquals("gpu-worker", JSON.readTree(cli("--output", "json", "task", "get", id).out()).path("workerId").asText());
      var plain = cli("--output", "json", "task", "submit", "--type", "transform", "--input", input.toString(), "--queue", queue,
          "--wait");
      assertEquals(0, plain.exitCode(), plain.err());
      String plainId = JSON.readTree(plain.out().lines().findFirst().orElseThrow()).path("id").asText();
      assertTrue(JSON.readTree(cli("--output", "json", "task", "get", plainId).out()).path("workerId").asText().startsWith("task-it-"),
          "a task without labels stays on the unlabeled lane");
    }
  }

  @Test
  void evidenceRequiredWorkFailsClosedWhileOtherWorkBuffersItsEvidenceBehindAGap() throws Exception {
    String suffix = Long.toString(System.nanoTime());
    String events = "it.evidence-down.events." + suffix;
    String gaps = "it.evidence-down.gaps." + suffix;
    Path input = Files.writeString(dir.resolve("down.txt"), "while evidence is down");
    Map<String, Object> props = new HashMap<>();
    props.put("quartet.kafka.bootstrap-servers", bootstrap);
    props.put("quartet.worker.id", "evidence-down-worker");
    props.put("quartet.worker.queue", queue);
    props.put("quartet.worker.labels", "evidence=down");
    props.put("quartet.worker.trust-file", DevelopmentTrust.ensure(dir, Clock.systemUTC()).trustFile().toString());
    props.put("quartet.worker.tick-interval", "200ms");
    props.put("quartet.worker.tasks.data-url", server);
    props.put("quartet.worker.tasks.data-token", TOKEN);
    // This worker's evidence topics do not exist yet (auto-create is off): its evidence cannot be written.
    props.put("quartet.worker.tasks.evidence-topic", events);
    props.put("quartet.worker.tasks.evidence-gaps-topic", gaps);
    props.put("quartet.evidence-client.buffer-dir", dir.resolve("evidence-buffer").toString());
    props.put("quartet.evidence-client.send-timeout", "2s");
    props.put("quartet.evidence-client.probe-interval", "500ms");
    props.put("quartet.evidence-client.heartbeat-interval", "1s");
    try (WorkerProcess worker = WorkerProcess.start(props)) {
      var plain = cli("--output", "json", "task", "submit", "--type", "transform", "--input", input.toString(), "--queue", queue,
          "--label", "evidence=down", "--wait");
      assertEquals(0, plain.exitCode(), "work that does not require evidence goes on: " + plain.out() + plain.err());
      String plainId = JSON.readTree(plain.out().lines().findFirst().orElseThrow()).path("id").asText();

      var required = cli("--output", "json", "task", "submit", "--type", "transform", "--input", input.toString(), "--queue",
          queue, "--label", "evidence=down", "--evidence-required");
      assertEquals(0, required.exitCode(), required.err());
      String requiredId = JSON.readTree(required.out()).path("id").asText();
      await("the evidence-required task is not started").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .until(() -> "PENDING".equals(JSON.readTree(cli("--output", "json", "task", "get", requiredId).out()).path("state").asText()));

      try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(events, 1, (short) 1),
            new org.apache.kafka.clients.admin.NewTopic(gaps, 1, (short) 1))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
      awaitState(requiredId, "FAILED");
      JsonNode failed = JSON.readTree(cli("--output", "json", "task", "get", requiredId).out());
      assertTrue(failed.path("reason").asText().startsWith("not started: evidence-required"), failed.toString());

      List<EvidenceEvent> written = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
          "isolation.level", "read_committed", "auto.offset.reset", "earliest", "group.id", "evidence-down-" + suffix),
          new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of(events));
        await("gap, flushed evidence, then the refusal").atMost(Duration.ofSeconds(30)).until(() -> {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            written.add((EvidenceEvent) codec.decode(r.value()));
          }
          return written.stream().anyMatch(e -> requiredId.equals(e.getExecutionId()) && "task.failed".equals(e.getType()));
        });
      }
      assertEquals("evidence.gap", written.get(0).getType(), "the gap comes before anything buffered: " + written.get(0));
      long buffered = Long.parseLong(written.get(0).getAttributes().get("bufferedCount"));
      assertTrue(buffered >= 3, "the plain task's transitions were buffered: " + written.get(0).getAttributes());
      List<String> plainTypes = written.stream().filter(e -> plainId.equals(e.getExecutionId())).map(EvidenceEvent::getType).toList();
      assertEquals(List.of("task.leased", "task.running", "task.succeeded"), plainTypes, "flushed in order after the gap");
      int gapAt = 0;
      int refusalAt = written.indexOf(written.stream().filter(e -> requiredId.equals(e.getExecutionId())).findFirst().orElseThrow());
      assertTrue(refusalAt > gapAt + plainTypes.size(), "the refusal is written once evidence is back");
    }
  }

  @Test
  void aRetryableFailureIsRetriedWithBackoffUnderTheSameIdempotencyKey() throws Exception {
    Path input = Files.writeString(dir.resolve("flaky.txt"), "{}");
    var run = cli("--output", "json", "task", "submit", "--type", "fetch", "--input", input.toString(), "--queue", queue,
        "--param", "url=http://127.0.0.1:" + flaky.getAddress().getPort() + "/flaky", "--wait");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    String id = JSON.readTree(run.out().lines().findFirst().orElseThrow()).path("id").asText();
    JsonNode task = JSON.readTree(cli("--output", "json", "task", "get", id).out());
    assertEquals(3, task.path("attempt").asInt(), "succeeded on the third attempt: " + task);
    assertEquals(3, flakyCalls.get(id + "/step-1").get(), "every attempt carried the same idempotency key: " + flakyCalls);
    List<String> retries = run.out().lines().skip(1).map(l -> {
      try {
        return JSON.readTree(l);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).filter(t -> "RUNNING".equals(t.path("from").asText()) && "PENDING".equals(t.path("to").asText()))
        .map(t -> t.path("reason").asText()).toList();
    assertEquals(2, retries.size(), run.out());
    assertTrue(retries.get(0).startsWith("attempt 1 failed: ") && retries.get(0).contains("503"), retries.get(0));
  }

  @Test
  void aRetriedSubmitWithTheSameIdempotencyKeyIsTheSameTask() throws Exception {
    Path input = Files.writeString(dir.resolve("idem.txt"), "once");
    String key = "idem-" + System.nanoTime();
    var first = cli("--output", "json", "task", "submit", "--type", "transform", "--input", input.toString(),
        "--queue", queue, "--idempotency-key", key);
    var second = cli("--output", "json", "task", "submit", "--type", "transform", "--input", input.toString(),
        "--queue", queue, "--idempotency-key", key);
    assertEquals(0, first.exitCode(), first.err());
    assertEquals(0, second.exitCode(), second.err());
    assertEquals(JSON.readTree(first.out()).path("id").asText(), JSON.readTree(second.out()).path("id").asText());
    var other = cli("--output", "json", "task", "submit", "--type", "transform", "--input", input.toString(),
        "--queue", queue, "--idempotency-key", key + "-other");
    assertNotEquals(JSON.readTree(first.out()).path("id").asText(), JSON.readTree(other.out()).path("id").asText());
  }

  @Test
  void aToolOutsideTheRegistryEndsFailedNamingPolicyAndVersion() throws Exception {
    Path input = Files.writeString(dir.resolve("nope.txt"), "x");
    var run = cli("--output", "json", "task", "submit", "--type", "rm-rf", "--input", input.toString(), "--queue", queue, "--wait");
    assertEquals(1, run.exitCode(), "a refused task ends FAILED: exit 1; " + run.out() + run.err());
    String id = JSON.readTree(run.out().lines().findFirst().orElseThrow()).path("id").asText();
    JsonNode task = JSON.readTree(cli("--output", "json", "task", "get", id).out());
    assertEquals("FAILED", task.path("state").asText());
    assertTrue(task.path("reason").asText().contains("policy tools of config v1"), task.toString());
    EvidenceEvent denied = awaitEvidence(id, "policy.denied");
    assertEquals("tools", denied.getPolicy());
    assertEquals(1L, denied.getConfigVersion());
  }

  @Test
  void aGatedTaskWaitsForAnApproverWhoIsNotItsSubmitter() throws Exception {
    Path input = Files.writeString(dir.resolve("gated.txt"), "secret words");
    String id = submitGated(input);
    var self = cli("task", "approve", id);
    assertEquals(1, self.exitCode(), "the admin token holds no approver role: " + self.out());
    assertEquals(1, self.err().strip().lines().count(), self.err());
    awaitEvidence(id, "policy.approval-required");

    var minted = cli("--output", "json", "token", "create", "--role", "APPROVER", "--role", "SUBMITTER", "--role", "DATA_RESTRICTED", "--tenant",
        queue.substring(0, queue.indexOf('/')), "--subject", "bob");
    assertEquals(0, minted.exitCode(), minted.err());
    String bob = JSON.readTree(minted.out()).path("token").asText();
    var approved = QuartetCommandLineTest.run(Map.of("QUARTET_TOKEN", bob), "--server", server, "task", "approve", id);
    assertEquals(0, approved.exitCode(), approved.err());
    var watched = cli("--output", "json", "task", "watch", id);
    assertEquals(0, watched.exitCode(), "approved, then run: " + watched.out());
    JsonNode task = JSON.readTree(cli("--output", "json", "task", "get", id).out());
    Path out = dir.resolve("wc.txt");
    assertEquals(0, cli("payload", "get", task.path("outputRef").asText(), "--out", out.toString()).exitCode());
    assertEquals("12", Files.readString(out).strip(), "wc -c of the 12-byte input");
    EvidenceEvent approval = awaitEvidence(id, "task.approved");
    assertEquals("bob", approval.getApprovals().get(0).getApprover());

    // bob submits one himself: he may not approve his own task.
    var bobs = QuartetCommandLineTest.run(Map.of("QUARTET_TOKEN", bob), "--server", server, "--output", "json", "task", "submit",
        "--type", "wc", "--input", input.toString(), "--queue", queue, "--classification", "RESTRICTED");
    assertEquals(0, bobs.exitCode(), "bob submits: " + bobs.err());
    String own = JSON.readTree(bobs.out()).path("id").asText();
    awaitState(own, "WAITING");
    var ownApproval = QuartetCommandLineTest.run(Map.of("QUARTET_TOKEN", bob), "--server", server, "task", "approve", own);
    assertEquals(1, ownApproval.exitCode(), ownApproval.out());
    assertTrue(ownApproval.err().contains("submitter"), ownApproval.err());

    String rejected = submitGated(input);
    assertEquals(0, QuartetCommandLineTest.run(Map.of("QUARTET_TOKEN", bob), "--server", server, "task", "reject", rejected,
        "--reason", "not today").exitCode());
    awaitState(rejected, "FAILED");

    String cancelled = submitGated(input);
    var cancel = cli("task", "cancel", cancelled, "--reason", "not needed");
    assertEquals(0, cancel.exitCode(), cancel.err());
    awaitState(cancelled, "CANCELLED");
  }

  private String submitGated(Path input) throws Exception {
    var run = cli("--output", "json", "task", "submit", "--type", "wc", "--input", input.toString(), "--queue", queue,
        "--classification", "RESTRICTED");
    assertEquals(0, run.exitCode(), run.err());
    String id = JSON.readTree(run.out()).path("id").asText();
    awaitState(id, "WAITING");
    return id;
  }

  private void awaitState(String id, String state) {
    await(state).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> state.equals(JSON.readTree(cli("--output", "json", "task", "get", id).out()).path("state").asText()));
  }

  @Test
  void aRunningTaskIsInterruptedByCancel() throws Exception {
    Path input = Files.writeString(dir.resolve("slow.txt"), "zzz");
    var run = cli("--output", "json", "task", "submit", "--type", "sleeper", "--input", input.toString(), "--queue", queue);
    assertEquals(0, run.exitCode(), run.err());
    String id = JSON.readTree(run.out()).path("id").asText();
    awaitState(id, "RUNNING");
    Instant asked = Instant.now();
    assertEquals(0, cli("task", "cancel", id).exitCode());
    var watched = cli("--output", "json", "task", "watch", id);
    assertEquals(1, watched.exitCode(), "a cancelled task is not a success: " + watched.out());
    JsonNode task = JSON.readTree(cli("--output", "json", "task", "get", id).out());
    assertEquals("CANCELLED", task.path("state").asText(), task.toString());
    assertTrue(task.path("reason").asText().startsWith("cancelled by admin"), task.toString());
    assertTrue(Duration.between(asked, Instant.parse(task.path("updatedAt").asText())).toSeconds() < 20,
        "the 30 s sleep was interrupted, not waited out: " + task);
  }

  private long workerConfigVersion() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server + "/v1/workers/self"))
        .header("Authorization", "Bearer " + TOKEN).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? JSON.readTree(response.body()).path("configVersion").asLong(0) : 0;
  }

  private EvidenceEvent awaitEvidence(String taskId, String type) {
    List<EvidenceEvent> found = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "isolation.level", "read_committed", "auto.offset.reset", "earliest", "group.id", "task-flow-it-" + System.nanoTime()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TopicCatalog.EVIDENCE_EVENTS));
      await(type + " evidence of " + taskId).atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (codec.decode(r.value()) instanceof EvidenceEvent e && taskId.equals(e.getExecutionId()) && type.equals(e.getType())) {
            found.add(e);
          }
        }
        return !found.isEmpty();
      });
    }
    return found.get(0);
  }

  /** Signs the reference configuration plus a slow process tool as v1 of {@code scope} and publishes it with the CLI. */
  private void publish(String scope) throws Exception {
    this.scope = scope;
    List<Object> tools = new ArrayList<>();
    tools.add(Map.of("name", "transform", "kind", "transform"));
    tools.add(Map.of("name", "fetch", "kind", "http"));
    tools.add(Map.of("name", "wc", "kind", "process", "command", List.of("wc", "-c")));
    tools.add(Map.of("name", "sleeper", "kind", "process", "command", List.of("sleep", "30")));
    v1Digest = publishVersion(1, "", referenceBodyWith(tools));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> referenceBodyWith(List<?> tools) {
    Map<String, Object> body = (Map<String, Object>) ConfigDocuments.fromYaml(ConfigDocuments.referenceYaml()).get("body");
    body.put("tools", tools);
    Map<String, Object> policies = new HashMap<>((Map<String, Object>) body.get("policies"));
    policies.put("egress", Map.of("allow", List.of("127.0.0.1:" + flaky.getAddress().getPort())));
    body.put("policies", policies);
    return body;
  }

  private String publishVersion(long version, String parent, Map<String, Object> body) throws Exception {
    Map<String, Object> doc = ConfigDocuments.fromYaml(ConfigDocuments.referenceYaml());
    doc.put("scope", scope);
    doc.put("version", version);
    doc.put("parent", parent);
    doc.put("body", body);
    DsseEnvelope envelope = ConfigDocuments.sign(doc, DevelopmentTrust.ensure(dir, Clock.systemUTC()).adminKey(), null, Instant.now());
    Path file = Files.write(dir.resolve("snap-v" + version + ".dsse.json"), envelope.toJsonFile());
    var published = cli("--output", "json", "config", "publish", file.toString());
    assertEquals(0, published.exitCode(), "publish; stderr: " + published.err());
    return JSON.readTree(published.out().strip()).path("digest").asText();
  }

  private QuartetCommandLineTest.Run cli(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--server";
    all[1] = server;
    System.arraycopy(args, 0, all, 2, args.length);
    return QuartetCommandLineTest.run(env, all);
  }
}

package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.ConfigApplied;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.WorkerHeartbeat;
import dev.quartet.schemas.WorkerRegistered;
import dev.quartet.schemas.WorkerState;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code quartet worker list} and {@code quartet config status} against a real control plane whose
 * registry is fed by real worker records on the real broker. Own schema and consumer group.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerListIT {
  private static final String TOKEN = "worker-list-it-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventCodec codec = EventCodec.standard();
  private PlaneProcess plane;
  private KafkaProducer<byte[], byte[]> producer;
  private Map<String, String> env;
  private String server;
  private Path dir;

  @BeforeAll
  void start(Infrastructure infra, @TempDir Path tmp) throws Exception {
    dir = tmp;
    Path trustFile = DevelopmentTrust.ensure(dir, Clock.systemUTC()).trustFile();
    String schema = "control_" + infra.unique("wl").replaceAll("[^a-z0-9]", "");
    infra.database().provisionOwner("quartet_" + schema, "secret-wl", schema);
    Map<String, Object> p = new HashMap<>();
    p.put("datasources.control.url", infra.jdbcUrl());
    p.put("datasources.control.username", "quartet_" + schema);
    p.put("datasources.control.password", "secret-wl");
    p.put("datasources.control.schema", schema);
    p.put("flyway.datasources.control.schemas", schema);
    p.put("flyway.datasources.control.default-schema", schema);
    p.put("micronaut.server.port", -1);
    p.put("quartet.kafka.bootstrap-servers", infra.kafkaBootstrap());
    p.put("quartet.kafka.broker-count", 1);
    p.put("quartet.security.admin-token", TOKEN);
    p.put("quartet.control.trust-file", trustFile.toString());
    p.put("quartet.control.workers.consumer-group", infra.unique("worker-list-it"));
    plane = PlaneProcess.start(EnumSet.of(Plane.CONTROL), p);
    server = plane.url().toString().replaceAll("/$", "");
    env = Map.of("QUARTET_TOKEN", TOKEN, "QUARTET_DATA_DIR", dir.toString());
    producer = new KafkaProducer<>(Map.of("bootstrap.servers", infra.kafkaBootstrap(), "acks", "all"), new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  @AfterAll
  void stop() {
    if (producer != null) {
      producer.close();
    }
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void listsWorkersAndTheirConfigStatus(Infrastructure infra) throws Exception {
    String tenant = infra.unique("wl").replaceAll("[^a-z0-9-]", "");
    String scope = tenant + "/dev";
    String id = infra.unique("worker");
    String digest = publish(scope);
    send(TopicCatalog.WORKER_REGISTRATIONS, id, WorkerRegistered.newBuilder().setWorkerId(id).setQueue(scope + "/main")
        .setLabels(Map.of("zone", "a")).setCapacity(4).setRegisteredAt(Instant.now()).build());
    send(TopicCatalog.WORKER_HEARTBEATS, id, WorkerHeartbeat.newBuilder().setWorkerId(id).setState(WorkerState.BUSY)
        .setTaskCount(2).setFull(true).setCapacity(4).setAppliedConfigVersion(1L).setAppliedConfigDigest(digest)
        .setSentAt(Instant.now()).build());
    send(TopicCatalog.CONFIG_ACKS, id, ConfigApplied.newBuilder().setWorkerId(id).setScope(scope).setVersion(1).setDigest(digest)
        .setAppliedAt(Instant.now()).build());

    await("worker list shows " + id).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      var json = cli("--output", "json", "worker", "list", "--queue", scope);
      assertEquals(0, json.exitCode(), json.err());
      JsonNode w = JSON.readTree(json.out().strip());
      assertEquals(id, w.path("id").asText(), json.out());
      assertEquals(2, w.path("taskCount").asInt(), json.out());
      assertEquals(1, w.path("appliedConfigVersion").asLong(), json.out());
    });
    var text = cli("worker", "list", "--queue", scope + "/main");
    assertEquals(0, text.exitCode(), text.err());
    assertTrue(text.out().startsWith("ID"), "a table with a header: " + text.out());
    assertTrue(text.out().lines().anyMatch(l -> l.startsWith(id) && l.contains(scope + "/main") && l.contains("zone=a")
        && l.contains("v1 " + digest.substring(0, 12))), text.out());

    await("config status shows " + id + " on the head").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      var status = cli("--output", "json", "config", "status", "--scope", scope);
      assertEquals(0, status.exitCode(), status.err());
      JsonNode s = JSON.readTree(status.out().strip());
      assertEquals(digest, s.path("digest").asText(), status.out());
      assertEquals(id, s.path("workers").path(0).path("id").asText(), status.out());
      assertTrue(s.path("workers").path(0).path("onHead").asBoolean(), status.out());
    });
    var statusText = cli("config", "status", "--scope", scope);
    assertEquals(0, statusText.exitCode(), statusText.err());
    assertTrue(statusText.out().startsWith(scope + " head v1 digest " + digest), statusText.out());
    assertTrue(statusText.out().lines().anyMatch(l -> l.startsWith(id) && l.contains(" yes ")), statusText.out());
  }

  private String publish(String scope) throws Exception {
    Map<String, Object> doc = ConfigDocuments.fromYaml(ConfigDocuments.referenceYaml());
    doc.put("scope", scope);
    DsseEnvelope envelope = ConfigDocuments.sign(doc, DevelopmentTrust.ensure(dir, Clock.systemUTC()).adminKey(), null, Instant.now());
    Path file = Files.write(dir.resolve("snap.dsse.json"), envelope.toJsonFile());
    var published = cli("--output", "json", "config", "publish", file.toString());
    assertEquals(0, published.exitCode(), "publish; stderr: " + published.err());
    return JSON.readTree(published.out().strip()).path("digest").asText();
  }

  /** Keyed by worker id, as workers write. */
  private void send(String topic, String workerId, SpecificRecord event) {
    producer.send(new ProducerRecord<>(topic, workerId.getBytes(StandardCharsets.UTF_8), codec.encode(event)));
  }

  private QuartetCommandLineTest.Run cli(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--server";
    all[1] = server;
    System.arraycopy(args, 0, all, 2, args.length);
    return QuartetCommandLineTest.run(env, all);
  }
}

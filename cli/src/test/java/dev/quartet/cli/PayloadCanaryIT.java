package dev.quartet.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.harness.FreePorts;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The negative proof that payload content stays in the data plane: a recognisable canary goes in
 * a payload and through a task (input and output), and then it is looked for everywhere else —
 * every log line written meanwhile, every record of every Kafka topic but the inline payload
 * topic, every row of every table of the control, execution and evidence schemas. It must be in
 * none of them. The data plane's own inline topic does hold it (unencrypted INTERNAL data), which
 * proves the scan would see it.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PayloadCanaryIT {
  private static final String TOKEN = "payload-canary-it-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Upper case, so the uppercase transform keeps it in the output too. */
  private final String canary = "CANARY" + UUID.randomUUID().toString().replace("-", "").toUpperCase();
  private final ConcurrentLinkedQueue<String> logLines = new ConcurrentLinkedQueue<>();
  private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      logLines.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()));
    }
  };
  private final Map<String, String> schemas = new HashMap<>();
  private PlaneProcess planes;
  private Infrastructure infra;
  private Map<String, String> env;
  private String server;
  private Path dir;

  @BeforeAll
  void start(Infrastructure infra, @TempDir Path tmp) throws Exception {
    this.infra = infra;
    this.dir = tmp;
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    capture.setContext(root.getLoggerContext());
    capture.start();
    root.addAppender(capture);
    DevelopmentTrust trust = DevelopmentTrust.ensure(dir, Clock.systemUTC());
    String suffix = infra.unique("x").replaceAll("[^a-z0-9]", "");
    String scope = "canary" + suffix.substring(Math.max(0, suffix.length() - 8)) + "/dev";
    for (String plane : new String[] {"control", "execution", "data", "evidence"}) {
      schemas.put(plane, plane + "_canary_" + suffix);
    }
    Map<String, Object> p = PlaneDatabases.provision(infra, "canary", suffix, "control", "execution", "data", "evidence");
    int port = FreePorts.any();
    server = "http://127.0.0.1:" + port;
    p.put("micronaut.server.port", port);
    p.put("quartet.kafka.bootstrap-servers", infra.kafkaBootstrap());
    p.put("quartet.kafka.broker-count", 1);
    p.put("quartet.security.admin-token", TOKEN);
    p.put("quartet.control.trust-file", trust.trustFile().toString());
    p.put("quartet.control.lease.key-file", DevelopmentTrust.leaseKeyFile(dir).toString());
    p.put("quartet.evidence.checkpoint.key-file", DevelopmentTrust.checkpointKeyFile(dir).toString());
    p.put("quartet.evidence.checkpoint.origin-prefix", "it.quartet.dev/canary-" + suffix + "/");
    p.put("quartet.evidence.index.consumer-group", infra.unique("canary-evidence"));
    p.put("quartet.data.blob-store.dir", dir.resolve("blobs").toString());
    p.put("quartet.data.encryption.keys-dir", dir.resolve("keys").toString());
    p.put("quartet.evidence-client.buffer-dir", dir.resolve("evidence-buffer").toString());
    p.put("quartet.worker.enabled", true);
    p.put("quartet.worker.id", "canary-" + suffix);
    p.put("quartet.worker.queue", scope + "/main");
    p.put("quartet.worker.trust-file", trust.trustFile().toString());
    p.put("quartet.worker.tick-interval", "200ms");
    p.put("quartet.worker.tasks.data-url", server);
    p.put("quartet.worker.tasks.data-token", TOKEN);
    p.put("quartet.execution.tasks.projection-group", infra.unique("canary-projection"));
    planes = PlaneProcess.start(EnumSet.allOf(Plane.class), p);
    env = Map.of("QUARTET_TOKEN", TOKEN, "QUARTET_DATA_DIR", dir.toString());
    Map<String, Object> doc = ConfigDocuments.fromYaml(ConfigDocuments.referenceYaml());
    doc.put("scope", scope);
    DsseEnvelope envelope = ConfigDocuments.sign(doc, trust.adminKey(), null, Instant.now());
    Path file = Files.write(dir.resolve("snap.dsse.json"), envelope.toJsonFile());
    assertEquals(0, cli("config", "publish", file.toString()).exitCode());
    schemas.put("queue", scope + "/main");
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(capture);
    if (planes != null) {
      planes.close();
    }
  }

  @Test
  void aCanaryInAPayloadAppearsNowhereOutsideTheDataPlane() throws Exception {
    Path input = Files.writeString(dir.resolve("canary.txt"), "the secret is " + canary.toLowerCase());
    var run = cli("--output", "json", "task", "submit", "--type", "transform", "--input", input.toString(), "--param",
        "op=uppercase", "--queue", schemas.get("queue"), "--classification", "INTERNAL", "--wait");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    String id = JSON.readTree(run.out().lines().findFirst().orElseThrow()).path("id").asText();
    await("the task's outcome indexed as evidence").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> cli("--output", "json", "evidence", "query", "--execution", id).out().contains("task.succeeded"));
    JsonNode task = JSON.readTree(cli("--output", "json", "task", "get", id).out());
    assertEquals("SUCCEEDED", task.path("state").asText());

    byte[] needle = canary.getBytes(StandardCharsets.UTF_8);
    byte[] lowerNeedle = canary.toLowerCase().getBytes(StandardCharsets.UTF_8);
    Map<String, Integer> hits = scanTopics(needle, lowerNeedle);
    assertTrue(hits.getOrDefault(TopicCatalog.PAYLOAD_RECORDS, 0) >= 2,
        "the scan sees the canary where it belongs (input and output inline, unencrypted INTERNAL): " + hits);
    hits.remove(TopicCatalog.PAYLOAD_RECORDS);
    assertEquals(Map.of(), hits, "topics other than the inline payload topic holding the canary");

    List<String> logged = logLines.stream()
        .filter(l -> l.contains(canary) || l.contains(canary.toLowerCase())).toList();
    assertTrue(logLines.size() > 20, "the log capture saw the planes at work: " + logLines.size() + " lines");
    assertEquals(List.of(), logged, "log lines holding the canary");

    List<String> rows = new ArrayList<>();
    for (String plane : List.of("control", "execution", "evidence")) {
      rows.addAll(scanSchema(schemas.get(plane), canary));
    }
    assertEquals(List.of(), rows, "rows outside the data plane's schema holding the canary");
  }

  /** Records per topic whose key, value or headers hold either needle. */
  private Map<String, Integer> scanTopics(byte[]... needles) throws Exception {
    Map<String, Integer> hits = new HashMap<>();
    Set<String> topics;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrap()))) {
      topics = admin.listTopics().names().get();
    }
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", infra.kafkaBootstrap()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String t : topics) {
        consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      await("every topic read to its end").atMost(Duration.ofSeconds(60)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          boolean hit = false;
          for (byte[] n : needles) {
            hit |= contains(r.value(), n) || contains(r.key(), n);
            for (var h : r.headers()) {
              hit |= contains(h.value(), n);
            }
          }
          if (hit) {
            hits.merge(r.topic(), 1, Integer::sum);
          }
        }
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
      });
    }
    return hits;
  }

  /** Every row of every table of {@code schema}, as text, that holds the needle (any case). */
  private List<String> scanSchema(String schema, String needle) throws Exception {
    List<String> found = new ArrayList<>();
    try (Connection c = infra.database().superuser().getConnection();
         Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema
          + "' AND table_type = 'BASE TABLE'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertTrue(!tables.isEmpty(), "schema " + schema + " has tables to scan");
      for (String table : tables) {
        // bytea columns render as hex in a row's text form: look for the needle's hex too.
        String hex = java.util.HexFormat.of().formatHex(needle.toLowerCase().getBytes(StandardCharsets.UTF_8));
        try (ResultSet rs = s.executeQuery("SELECT t::text FROM \"" + schema + "\".\"" + table + "\" t"
            + " WHERE lower(t::text) LIKE '%" + needle.toLowerCase() + "%' OR lower(t::text) LIKE '%" + hex + "%'")) {
          while (rs.next()) {
            found.add(schema + "." + table + ": " + rs.getString(1));
          }
        }
      }
    }
    return found;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    if (haystack == null || haystack.length < needle.length) {
      return false;
    }
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private QuartetCommandLineTest.Run cli(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--server";
    all[1] = server;
    System.arraycopy(args, 0, all, 2, args.length);
    return QuartetCommandLineTest.run(env, all);
  }
}

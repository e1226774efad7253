package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.evidence.config.EvidenceKeyFactory;
import dev.quartet.evidence.domain.CheckpointSigner;
import dev.quartet.evidence.domain.EvidenceCheckpoint;
import dev.quartet.evidence.domain.merkle.CompactRange;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evidence log operated from the command line against a real evidence plane: the witness
 * follows honest growth and catches a forged view (alert event on the log, exit 1), `admin
 * rebuild` gives back the same rows, and corrections show in queries and travel with exports.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidenceOperationsIT {
  private static final String TOKEN = "evidence-operations-it-token";
  private static final String KEY_NAME = "it.quartet.dev/evidence-operations";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private PlaneProcess plane;
  private Map<String, String> env;
  private String server;
  private String bootstrap;
  private String originPrefix;
  private Path dir;
  private Path trustFile;

  @BeforeAll
  void startPlane(Infrastructure infra, @TempDir Path tmp) throws Exception {
    dir = tmp;
    trustFile = DevelopmentTrust.ensure(dir, Clock.systemUTC()).trustFile();
    bootstrap = infra.kafkaBootstrap();
    String suffix = infra.unique("x").replaceAll("[^a-z0-9]", "");
    String schema = "evidence_ops_it_" + suffix;
    infra.database().provisionOwner("quartet_" + schema, "secret-" + suffix, schema);
    originPrefix = "it.quartet.dev/ops-" + suffix + "/";
    Map<String, Object> p = new HashMap<>();
    p.put("datasources.evidence.url", infra.jdbcUrl());
    p.put("datasources.evidence.username", "quartet_" + schema);
    p.put("datasources.evidence.password", "secret-" + suffix);
    p.put("datasources.evidence.schema", schema);
    p.put("flyway.datasources.evidence.schemas", schema);
    p.put("flyway.datasources.evidence.default-schema", schema);
    p.put("micronaut.server.port", -1);
    p.put("quartet.kafka.bootstrap-servers", bootstrap);
    p.put("quartet.kafka.broker-count", 1);
    p.put("quartet.security.admin-token", TOKEN);
    p.put("quartet.evidence.checkpoint.key-file", DevelopmentTrust.checkpointKeyFile(dir).toString());
    p.put("quartet.evidence.checkpoint.key-name", KEY_NAME);
    p.put("quartet.evidence.checkpoint.origin-prefix", originPrefix);
    p.put("quartet.evidence.checkpoint.every", "200ms");
    p.put("quartet.evidence.index.consumer-group", infra.unique("evidence-ops-it"));
    plane = PlaneProcess.start(EnumSet.of(Plane.EVIDENCE), p);
    server = plane.url().toString().replaceAll("/$", "");
    env = Map.of("QUARTET_TOKEN", TOKEN, "QUARTET_DATA_DIR", dir.toString());
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void theWitnessFollowsHonestGrowthAndCatchesAForgedView() throws Exception {
    String correlation = UUID.randomUUID().toString();
    int partition = emitCovered(correlation, 3);
    String origin = originPrefix + partition;
    Path state = dir.resolve("witness-" + correlation + ".json");
    String[] witness = {"evidence", "witness", "--once", "--state", state.toString(), "--trust", trustFile.toString(),
        "--kafka", bootstrap, "--id", "it-witness"};
    var first = cli(witness);
    assertEquals(0, first.exitCode(), "first round; stderr: " + first.err());
    assertTrue(first.out().contains(origin + " size "), "saw " + origin + ": " + first.out());

    emitCovered(correlation, 3);
    var second = cli(witness);
    assertEquals(0, second.exitCode(), "second round; stderr: " + second.err());
    assertTrue(Pattern.compile(Pattern.quote(origin) + " size \\d+ root [0-9a-f]{64}: consistent").matcher(second.out()).find(),
        "the grown log proven consistent: " + second.out());

    // A state edited by hand (a root without the log's signature over it) is refused, not trusted.
    JsonNode edited = JSON.readTree(Files.readAllBytes(state));
    ((ObjectNode) edited.path("origins").path(origin)).put("root", "00".repeat(32));
    Path editedState = dir.resolve("witness-edited-" + correlation + ".json");
    Files.write(editedState, JSON.writeValueAsBytes(edited));
    String[] onEdited = witness.clone();
    onEdited[4] = editedState.toString();
    var refused = cli(onEdited);
    assertEquals(2, refused.exitCode(), "an unsigned view in the state; stderr: " + refused.err());
    assertTrue(refused.err().contains("does not match its signed note"), refused.err());

    // The log shows this witness another view: a checkpoint of the size it saw, validly signed, over other leaves.
    JsonNode saved = JSON.readTree(Files.readAllBytes(state));
    long seenSize = saved.path("origins").path(origin).path("size").asLong();
    EvidenceCheckpoint forged = forgedCheckpoint(origin, seenSize);
    String forgedRoot = HexFormat.of().formatHex(forged.rootHash());
    ((ObjectNode) saved.path("origins").path(origin)).put("root", forgedRoot).put("signedNote", forged.signedNote());
    Files.write(state, JSON.writeValueAsBytes(saved));
    var caught = cli(witness);
    assertEquals(1, caught.exitCode(), "a forged view must fail the witness; stdout: " + caught.out());
    assertEquals(1, caught.err().strip().lines().count(), "one line: " + caught.err());
    assertTrue(Pattern.compile("^quartet: evidence\\.(split-view|fork): log " + Pattern.quote(origin) + " showed size " + seenSize
        + " root " + forgedRoot + " and size \\d+ root [0-9a-f]{64} ").matcher(caught.err()).find(), caught.err());
    String kind = caught.err().contains("evidence.split-view") ? "evidence.split-view" : "evidence.fork";
    await("the " + kind + " alert on the evidence log").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode page = getJson("/v1/evidence/events?correlation=" + enc(origin) + "&type=" + kind);
      assertEquals(1, page.path("events").size(), "alert events about " + origin + ": " + page);
    });
  }

  @Test
  void correctionsShowInQueriesTravelWithExportsAndSurviveARebuild() throws Exception {
    String correlation = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    EvidenceEvent original = event(correlation, null);
    EvidenceEvent correction = event(other, original.getId());
    emit(correlation, original);
    emit(other, correction);
    await("the correction linked").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var q = cli("evidence", "query", "--correlation", correlation);
      assertEquals(0, q.exitCode(), q.err());
      assertTrue(q.out().contains(original.getId() + " correlation=" + correlation + " corrected by " + correction.getId()),
          "query shows the correction: " + q.out());
    });

    Path bundle = dir.resolve("corrected-" + correlation + ".zip");
    var export = cli("--output", "json", "evidence", "export", "--correlation", correlation, "--out", bundle.toString());
    assertEquals(0, export.exitCode(), "export; stderr: " + export.err());
    List<String> exported = BundleFixture.eventIds(bundle);
    assertEquals(List.of(original.getId(), correction.getId()), exported, "the selected event and its correction");
    var verified = cli("evidence", "verify", bundle.toString(), "--trust", trustFile.toString());
    assertEquals(0, verified.exitCode(), "verify; stderr: " + verified.err());

    String before = rows(correlation, other);
    var rebuild = cli("admin", "rebuild", "--plane", "evidence");
    assertEquals(0, rebuild.exitCode(), "rebuild; stderr: " + rebuild.err());
    assertTrue(rebuild.out().startsWith("evidence: rebuilt evidence_index from "), rebuild.out());
    assertTrue(rebuild.out().contains("matches"), "a signed root was checked: " + rebuild.out());
    assertEquals(before, rows(correlation, other), "the rows of both correlations after the rebuild");
    var unknown = cli("admin", "rebuild", "--plane", "nosuch");
    assertEquals(2, unknown.exitCode(), "a plane without a rebuild is a usage error: " + unknown.err());
  }

  /** The JSON rows of the correlations without their index sequence, which a rebuild renumbers. */
  private String rows(String... correlations) {
    StringBuilder out = new StringBuilder();
    for (String c : correlations) {
      var q = cli("--output", "json", "evidence", "query", "--correlation", c);
      assertEquals(0, q.exitCode(), q.err());
      out.append(q.out().lines().map(l -> l.replaceFirst("\"seq\":\\d+,", "")).collect(Collectors.joining("\n"))).append('\n');
    }
    return out.toString();
  }

  private EvidenceCheckpoint forgedCheckpoint(String origin, long size) {
    Random random = new Random(size);
    CompactRange other = CompactRange.empty();
    for (long i = 0; i < size; i++) {
      byte[] leaf = new byte[8];
      random.nextBytes(leaf);
      other = other.append(LeafHash.of(leaf));
    }
    return new CheckpointSigner(origin, EvidenceKeyFactory.read(DevelopmentTrust.checkpointKeyFile(dir), KEY_NAME)).sign(other);
  }

  /** Emits {@code n} events of {@code correlation} and waits until a signed checkpoint covers the last; returns their partition. */
  private int emitCovered(String correlation, int n) throws Exception {
    int partition = -1;
    String last = null;
    for (int i = 0; i < n; i++) {
      EvidenceEvent e = event(correlation, null);
      partition = emit(correlation, e);
      last = e.getId();
    }
    String id = last;
    await("a checkpoint covering " + id).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> get("/v1/evidence/events/" + id + "/proof").statusCode() == 200);
    return partition;
  }

  private static EvidenceEvent event(String correlation, String corrects) {
    return EvidenceEvent.newBuilder()
        .setId(UUID.randomUUID().toString()).setType("operations.it").setTenant("it").setCorrelationId(correlation)
        .setOutcome("RECORDED").setOccurredAt(Instant.now()).setApprovals(List.of()).setArtifactDigests(Map.of())
        .setProducerPlane(dev.quartet.schemas.Plane.EVIDENCE).setProducerVersion("it").setAttributes(Map.of())
        .setCorrects(corrects).build();
  }

  private int emit(String key, EvidenceEvent e) throws Exception {
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      return producer.send(new ProducerRecord<>(TopicCatalog.EVIDENCE_EVENTS, key.getBytes(StandardCharsets.UTF_8),
          EventCodec.standard().encode(e))).get(30, TimeUnit.SECONDS).partition();
    }
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(200, r.statusCode(), path + " answered " + r.body());
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server + path)).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private QuartetCommandLineTest.Run cli(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--server";
    all[1] = server;
    System.arraycopy(args, 0, all, 2, args.length);
    return QuartetCommandLineTest.run(env, all);
  }
}

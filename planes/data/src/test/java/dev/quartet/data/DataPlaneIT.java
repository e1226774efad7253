package dev.quartet.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.data.domain.InFlightBudget;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.PayloadRejected;
import dev.quartet.schemas.PayloadStored;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.quartet.data.DataPlaneClient.json;
import static dev.quartet.data.DataPlaneClient.sha256;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Payload put/get through the real HTTP API onto the real broker, database and disk. */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataPlaneIT {
  private static final String ADMIN_TOKEN = "data-it-token";
  // Payload access needs data roles: the bootstrap admin token of this slice carries ADMIN only.
  private static final String TOKEN = TestTokenValidator.DATA_ALL.token();
  private static final int LIMIT = 10 * 1024 * 1024;
  private final Random random = new Random(42);
  private Infrastructure infra;
  private PlaneProcess plane;
  private DataPlaneClient client;
  private Path blobDir;

  @BeforeAll
  void startDataPlane(Infrastructure infra, @TempDir Path dir) {
    this.infra = infra;
    this.blobDir = dir.resolve("blobs");
    infra.database().provisionOwner("quartet_data", "data-secret", "data");
    plane = PlaneProcess.start(EnumSet.of(Plane.DATA), Map.ofEntries(
        Map.entry("micronaut.server.port", -1),
        Map.entry("quartet.kafka.bootstrap-servers", infra.kafkaBootstrap()),
        Map.entry("quartet.kafka.broker-count", 1),
        Map.entry("quartet.security.admin-token", ADMIN_TOKEN),
        Map.entry(TestTokenValidator.ENABLED, "true"),
        Map.entry("datasources.data.url", infra.jdbcUrl()),
        Map.entry("datasources.data.username", "quartet_data"),
        Map.entry("datasources.data.password", "data-secret"),
        Map.entry("quartet.data.blob-store.dir", blobDir.toString()),
        Map.entry("quartet.data.encryption.keys-dir", dir.resolve("keys").toString()),
        // Room for one maximal upload plus a little, so a second one finds the budget full.
        Map.entry("quartet.data.backpressure.max-in-flight-bytes", LIMIT + 2 * 1024 * 1024)));
    client = new DataPlaneClient(plane.url().toString().replaceAll("/$", ""), TOKEN, infra.kafkaBootstrap());
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void aSmallPublicPayloadTravelsInlineAndComesBackIdentical() throws Exception {
    byte[] content = bytes(1024);
    String route = infra.unique("inline");
    HttpResponse<String> put = client.put("classification=PUBLIC&route=" + route, content, "X-Content-SHA256", sha256(content));
    assertEquals(201, put.statusCode(), put.body());
    JsonNode ref = json(put.body());
    assertEquals(sha256(content), ref.path("sha256").asText());
    assertEquals(1024, ref.path("size").asLong());
    assertTrue(ref.path("inline").asBoolean(), "1 KiB is inline: " + ref);
    assertTrue(ref.path("keyId").isMissingNode() || ref.path("keyId").isNull(), "PUBLIC is not encrypted: " + ref);
    assertEquals("quartet:payload/" + ref.path("id").asText(), ref.path("ref").asText());

    HttpResponse<byte[]> get = client.get("/v1/payloads/" + ref.path("id").asText(), true);
    assertEquals(200, get.statusCode());
    assertArrayEquals(content, get.body(), "content read back from the Kafka record");
    assertEquals(sha256(content), get.headers().firstValue("X-Content-SHA256").orElse(""));

    HttpResponse<Void> head = client.head("/v1/payloads/" + ref.path("id").asText());
    assertEquals(200, head.statusCode());
    assertEquals("PUBLIC", head.headers().firstValue("X-Quartet-Classification").orElse(""));
    assertEquals("1024", head.headers().firstValue("X-Quartet-Size").orElse(""));
    assertEquals(sha256(content), head.headers().firstValue("X-Content-SHA256").orElse(""));

    var stored = (PayloadStored) client.read(TopicCatalog.PAYLOAD_EVENTS, (k, e) -> ref.path("ref").asText().equals(k)
        && e instanceof PayloadStored).get(0);
    assertEquals(sha256(content), stored.getRef().getSha256());
    assertEquals(route, stored.getRoute());
    assertTrue(stored.getInline());
  }

  @Test
  void anEmptyEncryptedPayloadRoundTrips() throws Exception {
    HttpResponse<String> put = client.put("classification=CONFIDENTIAL", new byte[0]);
    assertEquals(201, put.statusCode(), put.body());
    JsonNode ref = json(put.body());
    assertEquals(sha256(new byte[0]), ref.path("sha256").asText());
    HttpResponse<byte[]> get = client.get("/v1/payloads/" + ref.path("id").asText(), true);
    assertEquals(200, get.statusCode());
    assertEquals(0, get.body().length);
  }

  @Test
  void aLargerConfidentialPayloadIsAnEncryptedClaimCheck() throws Exception {
    byte[] content = bytes(300 * 1024);
    HttpResponse<String> put = client.put("classification=CONFIDENTIAL", content);
    assertEquals(201, put.statusCode(), put.body());
    JsonNode ref = json(put.body());
    assertFalse(ref.path("inline").asBoolean(), "300 KiB goes to the blob store: " + ref);
    assertTrue(ref.path("keyId").asText().startsWith("kek-confidential-"), "key id recorded: " + ref);

    HttpResponse<byte[]> get = client.get("/v1/payloads/" + ref.path("id").asText(), true);
    assertEquals(200, get.statusCode());
    assertArrayEquals(content, get.body(), "content decrypted from the blob");
    assertEquals(ref.path("sha256").asText(), sha256(get.body()));

    byte[] onDisk = Files.readAllBytes(blobFile(ref.path("id").asText()));
    assertFalse(TestStreams.contains(onDisk, java.util.Arrays.copyOfRange(content, 1000, 1064)), "plaintext visible on disk");
  }

  @Test
  void aSmallConfidentialPayloadIsEncryptedInsideItsRecord() throws Exception {
    byte[] content = bytes(2048);
    JsonNode ref = json(client.put("classification=RESTRICTED", content).body());
    assertTrue(ref.path("inline").asBoolean(), ref.toString());
    byte[] record = client.rawValue(TopicCatalog.PAYLOAD_RECORDS, ref.path("id").asText());
    assertFalse(TestStreams.contains(record, java.util.Arrays.copyOfRange(content, 0, 64)), "plaintext visible in the Kafka record");
    assertArrayEquals(content, client.get("/v1/payloads/" + ref.path("id").asText(), true).body());
  }

  @Test
  void anUploadOverTheLimitIs413WithEvidenceAndNothingStored() throws Exception {
    long rowsBefore = rows();
    String route = infra.unique("too-large");
    String correlation = "over-" + UUID.randomUUID();
    HttpResponse<String> r = client.putStreamed("classification=INTERNAL&route=" + route,
        () -> new TestStreams.Zeros(LIMIT + 1L), "X-Correlation-Id", correlation);
    assertEquals(413, r.statusCode(), r.body());
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
    String detail = json(r.body()).path("detail").asText();
    assertTrue(detail.contains("max-input-bytes") && detail.contains(Integer.toString(LIMIT))
        && detail.contains(Long.toString(LIMIT + 1L)), "names the limit and the size seen: " + detail);

    var evidence = (EvidenceEvent) client.read(TopicCatalog.EVIDENCE_EVENTS, (k, e) -> e instanceof EvidenceEvent ev
        && correlation.equals(ev.getCorrelationId())).get(0);
    assertEquals("payload.rejected", evidence.getType());
    assertEquals(Integer.toString(LIMIT), evidence.getAttributes().get("limit"));
    assertEquals(Long.toString(LIMIT + 1L), evidence.getAttributes().get("size"));
    var rejected = (PayloadRejected) client.read(TopicCatalog.PAYLOAD_EVENTS, (k, e) -> e instanceof PayloadRejected pr
        && route.equals(pr.getRoute())).get(0);
    assertEquals(LIMIT, rejected.getLimit());

    // Declared too large: refused from the header alone; with Expect: 100-continue no body byte is sent.
    HttpResponse<String> declared = client.put("classification=INTERNAL&route=" + route,
        HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new TestStreams.Zeros(40L << 20)),
            40L << 20), true);
    assertEquals(413, declared.statusCode(), "declared Content-Length over the limit: " + declared.body());
    assertTrue(json(declared.body()).path("detail").asText().contains(Long.toString(40L << 20)), declared.body());
    assertEquals(rowsBefore, rows(), "index rows");
    assertEquals(0, temporaries(), "temporary blob files");
  }

  @Test
  void aDigestMismatchIs400AndNothingIsKept() throws Exception {
    long rowsBefore = rows();
    byte[] content = bytes(300 * 1024);
    HttpResponse<String> r = client.put("classification=CONFIDENTIAL", content, "X-Content-SHA256", sha256(new byte[1]));
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(json(r.body()).path("detail").asText().contains(sha256(content)), r.body());
    assertEquals(rowsBefore, rows(), "index rows");
    assertEquals(0, temporaries(), "temporary blob files");
  }

  @Test
  void aTamperedBlobIsAnIntegrityErrorNotTheBytes() throws Exception {
    for (String classification : new String[] {"CONFIDENTIAL", "PUBLIC"}) {
      byte[] content = bytes(400 * 1024);
      String id = json(client.put("classification=" + classification, content).body()).path("id").asText();
      Path file = blobFile(id);
      byte[] onDisk = Files.readAllBytes(file);
      onDisk[onDisk.length / 2] ^= 0x01;
      Files.write(file, onDisk);
      HttpResponse<byte[]> get = client.get("/v1/payloads/" + id, true);
      assertEquals(500, get.statusCode(), classification + " tampered blob answered " + get.statusCode());
      JsonNode problem = json(new String(get.body(), java.nio.charset.StandardCharsets.UTF_8));
      assertEquals("https://quartet.dev/problems/internal", problem.path("type").asText());
      assertTrue(problem.path("detail").asText().contains("integrity"), problem.toString());
    }
  }

  @Test
  void aDeletedBlobIs503WithEvidenceAndNoBytes() throws Exception {
    for (String classification : new String[] {"PUBLIC", "RESTRICTED"}) {
      byte[] content = bytes(300 * 1024);
      String id = json(client.put("classification=" + classification, content).body()).path("id").asText();
      Files.delete(blobFile(id));
      String correlation = "missing-" + UUID.randomUUID();
      HttpResponse<byte[]> get = client.get("/v1/payloads/" + id, "X-Correlation-Id", correlation);
      assertEquals(503, get.statusCode(), classification + " payload with its blob deleted answered " + get.statusCode());
      JsonNode problem = json(new String(get.body(), java.nio.charset.StandardCharsets.UTF_8));
      assertEquals("https://quartet.dev/problems/unavailable", problem.path("type").asText(), problem.toString());
      assertTrue(problem.path("detail").asText().contains("missing"), "the reason is named: " + problem);
      var evidence = (EvidenceEvent) client.read(TopicCatalog.EVIDENCE_EVENTS, (k, e) -> e instanceof EvidenceEvent ev
          && correlation.equals(ev.getCorrelationId())).get(0);
      assertEquals("payload.unavailable", evidence.getType());
      assertEquals("blob-missing", evidence.getAttributes().get("reason"));
      assertEquals("quartet:payload/" + id, evidence.getAttributes().get("ref"));
    }
  }

  @Test
  void anUnreadableBlobStoreIs503WithEvidenceAndNoBytes() throws Exception {
    byte[] content = bytes(300 * 1024);
    String id = json(client.put("classification=CONFIDENTIAL", content).body()).path("id").asText();
    Path shard = blobFile(id).getParent();
    Path away = shard.resolveSibling(shard.getFileName() + ".away");
    Files.move(shard, away);
    // Permission bits alone do not stop root (tests may run as root): the blob's directory is
    // replaced by an unreadable plain file, which no process can list or descend into.
    Files.createFile(shard, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("---------")));
    try {
      String correlation = "unreadable-" + UUID.randomUUID();
      HttpResponse<byte[]> get = client.get("/v1/payloads/" + id, "X-Correlation-Id", correlation);
      assertEquals(503, get.statusCode(), "blob store unreadable answered " + get.statusCode());
      JsonNode problem = json(new String(get.body(), java.nio.charset.StandardCharsets.UTF_8));
      assertEquals("https://quartet.dev/problems/unavailable", problem.path("type").asText(), problem.toString());
      assertTrue(problem.path("detail").asText().contains("cannot be read"), "the reason is named: " + problem);
      var evidence = (EvidenceEvent) client.read(TopicCatalog.EVIDENCE_EVENTS, (k, e) -> e instanceof EvidenceEvent ev
          && correlation.equals(ev.getCorrelationId())).get(0);
      assertEquals("payload.unavailable", evidence.getType());
      assertEquals("store-unreachable", evidence.getAttributes().get("reason"));
    } finally {
      Files.delete(shard);
      Files.move(away, shard);
    }
    assertArrayEquals(content, client.get("/v1/payloads/" + id, true).body(), "served again once the store is back");
  }

  @Test
  void aBlobStoreThatCannotBeWrittenIs503AndNothingIsIndexed() throws Exception {
    long rowsBefore = rows();
    Path temp = blobDir.resolve("tmp");
    Path away = blobDir.resolve("tmp.away");
    Files.move(temp, away);
    // Not a directory (root ignores permission bits): no upload file can be created under it.
    Files.createFile(temp);
    try {
      String correlation = "unwritable-" + UUID.randomUUID();
      HttpResponse<String> r = client.put("classification=PUBLIC", bytes(300 * 1024), "X-Correlation-Id", correlation);
      assertEquals(503, r.statusCode(), r.body());
      assertTrue(json(r.body()).path("detail").asText().contains("blob store"), r.body());
      var evidence = (EvidenceEvent) client.read(TopicCatalog.EVIDENCE_EVENTS, (k, e) -> e instanceof EvidenceEvent ev
          && correlation.equals(ev.getCorrelationId())).get(0);
      assertEquals("payload.rejected", evidence.getType());
      assertEquals("store-unreachable", evidence.getAttributes().get("reason"));
    } finally {
      Files.delete(temp);
      Files.move(away, temp);
    }
    assertEquals(rowsBefore, rows(), "index rows");
  }

  @Test
  void withTheBudgetFullAnUploadGets429AndTheAcceptedOneCompletes() throws Exception {
    byte[] head = bytes(1024);
    DataPlaneClient.HeldUpload held = client.holdUpload("classification=PUBLIC", head);
    InFlightBudget budget = plane.context().getBean(InFlightBudget.class);
    await("the open upload holds its reservation").atMost(Duration.ofSeconds(10)).until(() -> budget.used() >= LIMIT);

    HttpResponse<String> refused = client.put("classification=PUBLIC",
        HttpRequest.BodyPublishers.ofByteArray(bytes(3 * 1024 * 1024)), true);
    assertEquals(429, refused.statusCode(), refused.body());
    assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "Retry-After on 429");

    Map.Entry<Integer, String> accepted = held.finish();
    assertEquals(201, accepted.getKey(), accepted.getValue());
    byte[] back = client.get("/v1/payloads/" + json(accepted.getValue()).path("id").asText(), true).body();
    assertArrayEquals(head, back, "the accepted upload is stored");
    await("reservations returned").atMost(Duration.ofSeconds(10)).until(() -> budget.used() == 0);
  }

  @Test
  void aProcessWithoutTheDataPlaneHasNoDataBeans() {
    try (PlaneProcess other = PlaneProcess.start(EnumSet.of(Plane.EXECUTION), Map.of("micronaut.server.port", -1,
        "quartet.kafka.bootstrap-servers", infra.kafkaBootstrap(), "quartet.kafka.broker-count", 1))) {
      assertFalse(other.context().containsBean(PayloadAcceptor.class), "acceptor outside the data environment");
      assertFalse(other.context().containsBean(dev.quartet.data.api.PayloadController.class), "controller outside it");
      assertFalse(other.context().containsBean(dev.quartet.data.store.KekKeystore.class), "keystore outside it");
    }
  }

  @Test
  void everyPayloadApiNeedsAToken() throws Exception {
    assertEquals(401, client.get("/v1/payloads/" + UUID.randomUUID(), false).statusCode());
    var anonymous = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(plane.url() + "/v1/payloads?classification=PUBLIC"))
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[10])).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode(), anonymous.body());
  }

  private Path blobFile(String id) throws Exception {
    try (Connection c = infra.superuser().getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT blob_key FROM data.payloads WHERE id = ?::uuid")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), "row of payload " + id);
        String hex = rs.getString(1).substring("blob:sha256/".length());
        return blobDir.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
      }
    }
  }

  private long rows() throws Exception {
    try (Connection c = infra.superuser().getConnection();
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM data.payloads")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long temporaries() throws Exception {
    try (Stream<Path> files = Files.list(blobDir.resolve("tmp"))) {
      return files.count();
    }
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}

package dev.quartet.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.data.domain.PayloadIntegrityException;
import dev.quartet.data.domain.crypto.PayloadEnvelope;
import dev.quartet.data.store.KekKeystore;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.EvidenceEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static dev.quartet.data.DataPlaneClient.json;
import static dev.quartet.data.DataPlaneClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KEK rotation through the real API: data keys re-wrapped in place, content untouched, old key gone. */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PayloadKeyRotationIT {
  private final Random random = new Random(7);
  private Infrastructure infra;
  private PlaneProcess plane;
  private DataPlaneClient client;
  private Path blobDir;

  @BeforeAll
  void start(Infrastructure infra, @TempDir Path dir) {
    this.infra = infra;
    this.blobDir = dir.resolve("blobs");
    infra.database().provisionOwner("quartet_data", "data-secret", "data");
    plane = PlaneProcess.start(EnumSet.of(Plane.DATA), Map.ofEntries(
        Map.entry("micronaut.server.port", -1),
        Map.entry("quartet.kafka.bootstrap-servers", infra.kafkaBootstrap()),
        Map.entry("quartet.kafka.broker-count", 1),
        Map.entry("quartet.security.admin-token", "rotation-it-token"),
        Map.entry(TestTokenValidator.ENABLED, "true"),
        Map.entry("datasources.data.url", infra.jdbcUrl()),
        Map.entry("datasources.data.username", "quartet_data"),
        Map.entry("datasources.data.password", "data-secret"),
        Map.entry("quartet.data.blob-store.dir", blobDir.toString()),
        Map.entry("quartet.data.encryption.keys-dir", dir.resolve("keys").toString()),
        // Small batches, so a rotation of a handful of payloads runs several.
        Map.entry("quartet.data.key-rotation.batch-size", 2)));
    client = new DataPlaneClient(plane.url().toString().replaceAll("/$", ""), TestTokenValidator.DATA_ALL.token(),
        infra.kafkaBootstrap());
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void rotationRewrapsDataKeysWithoutRewritingContentAndRetiresTheOldKey() throws Exception {
    byte[] blobContent = bytes(300 * 1024);
    byte[] inlineContent = bytes(2048);
    byte[] thirdContent = bytes(100);
    JsonNode blob = json(client.put("classification=RESTRICTED", blobContent).body());
    JsonNode inline = json(client.put("classification=RESTRICTED", inlineContent).body());
    JsonNode third = json(client.put("classification=RESTRICTED", thirdContent).body());
    String oldKey = blob.path("keyId").asText();
    assertEquals(oldKey, inline.path("keyId").asText());
    Path blobFile = blobFile(blob.path("id").asText());
    String blobHashBefore = sha256(Files.readAllBytes(blobFile));

    // Reads run throughout the rotation: each must answer the exact bytes, before, during and after.
    java.util.concurrent.atomic.AtomicBoolean rotated = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.Future<Integer> reads = readers.submit(() -> {
      int n = 0;
      do {
        HttpResponse<byte[]> got = client.get("/v1/payloads/" + inline.path("id").asText(), true);
        assertEquals(200, got.statusCode(), "read " + n + " during the rotation");
        assertArrayEquals(inlineContent, got.body(), "read " + n + " during the rotation");
        n++;
      } while (!rotated.get());
      return n;
    });
    String correlation = "rotate-" + UUID.randomUUID();
    HttpResponse<String> r;
    try {
      r = client.post("/v1/payloads/keys/RESTRICTED/rotate", "", "X-Correlation-Id", correlation);
    } finally {
      rotated.set(true);
    }
    assertTrue(reads.get(60, java.util.concurrent.TimeUnit.SECONDS) > 0, "reads ran");
    readers.shutdown();
    assertEquals(200, r.statusCode(), r.body());
    JsonNode rotation = json(r.body());
    String newKey = rotation.path("keyId").asText();
    assertNotEquals(oldKey, newKey);
    assertTrue(newKey.startsWith("kek-restricted-"), rotation.toString());
    assertEquals(3, rotation.path("rewrapped").asLong(), "three data keys re-wrapped: " + rotation);
    assertEquals(0, rotation.path("failed").asLong(), rotation.toString());
    assertEquals(2, rotation.path("batches").asInt(), "batches of 2: " + rotation);
    assertEquals(oldKey, rotation.path("retiredKeyIds").path(0).asText(), "old key retired: " + rotation);

    assertEquals(blobHashBefore, sha256(Files.readAllBytes(blobFile)), "blob bytes unchanged by the rotation");
    assertArrayEquals(blobContent, client.get("/v1/payloads/" + blob.path("id").asText(), true).body(), "old blob payload");
    assertArrayEquals(inlineContent, client.get("/v1/payloads/" + inline.path("id").asText(), true).body(), "old inline payload");
    assertArrayEquals(thirdContent, client.get("/v1/payloads/" + third.path("id").asText(), true).body(), "old inline payload");
    assertEquals(newKey, json(new String(client.get("/v1/payloads/" + blob.path("id").asText() + "/reference", true).body(),
        java.nio.charset.StandardCharsets.UTF_8)).path("keyId").asText(), "the reference names the key that unwraps it now");

    byte[] newContent = bytes(400 * 1024);
    JsonNode fresh = json(client.put("classification=RESTRICTED", newContent).body());
    assertEquals(newKey, fresh.path("keyId").asText(), "new payloads use the new key");
    assertArrayEquals(newContent, client.get("/v1/payloads/" + fresh.path("id").asText(), true).body());

    KekKeystore keys = plane.context().getBean(KekKeystore.class);
    assertTrue(keys.find(oldKey).isEmpty(), "the old key is deleted from the keystore");
    try (InputStream in = Files.newInputStream(blobFile)) {
      var e = assertThrows(PayloadIntegrityException.class, () -> PayloadEnvelope.decrypting(in, keys),
          "the envelope's own wrap needs the retired key");
      assertTrue(e.getMessage().contains(oldKey), e.getMessage());
    }

    var evidence = (EvidenceEvent) client.read(TopicCatalog.EVIDENCE_EVENTS, (k, e) -> e instanceof EvidenceEvent ev
        && correlation.equals(ev.getCorrelationId())).get(0);
    assertEquals("payload.kek-rotated", evidence.getType());
    assertEquals("3", evidence.getAttributes().get("rewrapped"));
    assertEquals(newKey, evidence.getAttributes().get("keyId"));
    assertEquals(oldKey, evidence.getAttributes().get("retiredKeyIds"));
  }

  @Test
  void aPayloadThatCannotBeRewrappedKeepsItsOldKeyAlive() throws Exception {
    byte[] kept = bytes(300 * 1024);
    JsonNode readable = json(client.put("classification=CONFIDENTIAL", kept).body());
    JsonNode lost = json(client.put("classification=CONFIDENTIAL", bytes(300 * 1024)).body());
    String oldKey = readable.path("keyId").asText();
    Files.delete(blobFile(lost.path("id").asText()));

    JsonNode rotation = json(client.post("/v1/payloads/keys/CONFIDENTIAL/rotate", "").body());
    assertEquals(1, rotation.path("failed").asLong(), rotation.toString());
    assertEquals(1, rotation.path("rewrapped").asLong(), rotation.toString());
    assertEquals(oldKey, rotation.path("keptKeyIds").path(0).asText(), "still needed, so not retired: " + rotation);
    assertTrue(plane.context().getBean(KekKeystore.class).find(oldKey).isPresent());
    assertArrayEquals(kept, client.get("/v1/payloads/" + readable.path("id").asText(), true).body());
  }

  @Test
  void onlyAnUnscopedDataAdminRotates() throws Exception {
    for (TestTokenValidator.Principal p : new TestTokenValidator.Principal[] {TestTokenValidator.ADMIN_ONLY,
        TestTokenValidator.GLOBEX, TestTokenValidator.INTERNAL_ANY}) {
      HttpResponse<String> r = client.as(p.token()).post("/v1/payloads/keys/RESTRICTED/rotate", "");
      assertEquals(403, r.statusCode(), p.name() + ": " + r.body());
    }
    assertEquals(400, client.post("/v1/payloads/keys/PUBLIC/rotate", "").statusCode(), "PUBLIC has no key");
    assertEquals(400, client.post("/v1/payloads/keys/SECRET/rotate", "").statusCode(), "no such classification");
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

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}

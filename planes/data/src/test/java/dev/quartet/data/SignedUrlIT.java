package dev.quartet.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.Sha256;
import dev.quartet.data.domain.SignedResource;
import dev.quartet.data.domain.UrlSigner;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.EvidenceEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static dev.quartet.data.DataPlaneClient.json;
import static dev.quartet.data.DataPlaneClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signed read URLs and upload slots over the real HTTP API, broker, database and disk. */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignedUrlIT {
  private final Random random = new Random(7);
  private PlaneProcess plane;
  private DataPlaneClient client;
  private Path keysDir;

  @BeforeAll
  void startDataPlane(Infrastructure infra, @TempDir Path dir) {
    infra.database().provisionOwner("quartet_data", "data-secret", "data");
    keysDir = dir.resolve("keys");
    plane = PlaneProcess.start(EnumSet.of(Plane.DATA), Map.ofEntries(
        Map.entry("micronaut.server.port", -1),
        Map.entry("quartet.kafka.bootstrap-servers", infra.kafkaBootstrap()),
        Map.entry("quartet.kafka.broker-count", 1),
        Map.entry("quartet.security.admin-token", "signed-url-it-admin"),
        Map.entry(TestTokenValidator.ENABLED, "true"),
        Map.entry("datasources.data.url", infra.jdbcUrl()),
        Map.entry("datasources.data.username", "quartet_data"),
        Map.entry("datasources.data.password", "data-secret"),
        Map.entry("quartet.data.blob-store.dir", dir.resolve("blobs").toString()),
        Map.entry("quartet.data.encryption.keys-dir", keysDir.toString()),
        Map.entry("quartet.data.signed-urls.max-ttl", "1h")));
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
  void aReadUrlStreamsTheDecryptedPayloadWithoutATokenAndIsRecorded() throws Exception {
    byte[] content = bytes(300 * 1024);
    String id = put("CONFIDENTIAL", content);
    HttpResponse<String> issued = client.post("/v1/payloads/" + id + "/urls", "{\"ttlSeconds\":600}");
    assertEquals(201, issued.statusCode(), issued.body());
    JsonNode url = json(issued.body());
    assertTrue(url.path("url").asText().startsWith(client.base() + "/v1/blobs/" + id + "?exp="), url.toString());
    assertEquals("GET", url.path("method").asText());
    Instant expiresAt = Instant.parse(url.path("expiresAt").asText());
    assertTrue(expiresAt.isAfter(Instant.now().plusSeconds(500)) && expiresAt.isBefore(Instant.now().plusSeconds(700)),
        "expiry about 10 minutes ahead: " + expiresAt);

    HttpResponse<byte[]> read = client.anonymous("GET", url.path("url").asText(), null);
    assertEquals(200, read.statusCode(), new String(read.body(), StandardCharsets.UTF_8));
    assertArrayEquals(content, read.body(), "plaintext through the signed URL");
    assertEquals(sha256(content), read.headers().firstValue("X-Content-SHA256").orElse(""));

    String small = put("PUBLIC", bytes(100));
    String inlineUrl = json(client.post("/v1/payloads/" + small + "/urls", "{}").body()).path("url").asText();
    assertEquals(200, client.anonymous("GET", inlineUrl, null).statusCode(), "an inline payload through its URL");

    String sig = url.path("url").asText().substring(url.path("url").asText().indexOf("sig=") + 4);
    var evidence = (EvidenceEvent) client.read(TopicCatalog.EVIDENCE_EVENTS, (k, e) -> e instanceof EvidenceEvent ev
        && "payload.url-issued".equals(ev.getType()) && ("quartet:payload/" + id).equals(ev.getAttributes().get("ref"))).get(0);
    assertEquals(sha256(content), evidence.getArtifactDigests().get("payload"));
    assertEquals("600", evidence.getAttributes().get("ttlSeconds"));
    assertEquals("data-all", evidence.getAttributes().get("principal"));
    assertEquals("read", evidence.getAttributes().get("access"));
    assertFalse(evidence.toString().contains(sig), "the signature is not evidence");
  }

  @Test
  void expiredAlteredAndMisdirectedUrlsAreRefused() throws Exception {
    String id = put("INTERNAL", bytes(2048));
    String other = put("INTERNAL", bytes(2048));
    String url = json(client.post("/v1/payloads/" + id + "/urls", "{\"ttlSeconds\":60}").body()).path("url").asText();
    assertEquals(200, client.anonymous("GET", url, null).statusCode(), "the URL as issued");

    // A URL that was genuinely signed by this plane, whose expiry has passed.
    String sha = json(new String(client.get("/v1/payloads/" + id + "/reference", true).body(), StandardCharsets.UTF_8))
        .path("sha256").asText();
    var blob = new SignedResource.ReadableBlob(PayloadId.parse(id), new Sha256(sha));
    String expired = client.base() + plane.context().getBean(UrlSigner.class).pathAndQuery(blob, Instant.now().minusSeconds(1));
    assertRefused(client.anonymous("GET", expired, null), "expired");

    int s = url.indexOf("sig=") + 4;
    char c = url.charAt(s + 5);
    assertRefused(client.anonymous("GET", url.substring(0, s + 5) + (c == 'A' ? 'B' : 'A') + url.substring(s + 6), null),
        "signature");
    int e = url.indexOf("exp=") + 4;
    char d = url.charAt(e + 9);
    assertRefused(client.anonymous("GET", url.substring(0, e + 9) + (d == '9' ? '0' : (char) (d + 1)) + url.substring(e + 10), null),
        "signature");
    assertRefused(client.anonymous("GET", url + "&x=1", null), "query");
    assertRefused(client.anonymous("GET", url.replace(id, other), null), "signature");
    assertRefused(client.anonymous("GET", url.replace(id, UUID.randomUUID().toString()), null), "grants nothing");
    assertRefused(client.anonymous("PUT", url, bytes(10)), "reading only");
    assertRefused(client.anonymous("GET", url.substring(0, url.indexOf('?')), null), "query");
  }

  @Test
  void anUploadSlotTakesOneUploadAndIsThenUsedUp() throws Exception {
    byte[] content = bytes(400 * 1024);
    HttpResponse<String> issued = client.as(TestTokenValidator.ACME.token()).post("/v1/payloads/upload-slots",
        "{\"classification\":\"CONFIDENTIAL\",\"sha256\":\"" + sha256(content) + "\",\"maxBytes\":" + (content.length + 10)
            + ",\"ttlSeconds\":300}");
    assertEquals(201, issued.statusCode(), issued.body());
    JsonNode slot = json(issued.body());
    String url = slot.path("url").asText();
    assertTrue(url.startsWith(client.base() + "/v1/blobs/slots/" + slot.path("slotId").asText() + "?exp="), url);
    assertEquals("PUT", slot.path("method").asText());

    assertRefused(client.anonymous("GET", url, null), "upload only");
    HttpResponse<byte[]> wrong = client.anonymous("PUT", url, bytes(100));
    assertEquals(400, wrong.statusCode(), "bytes of another digest: " + new String(wrong.body(), StandardCharsets.UTF_8));
    HttpResponse<byte[]> tooLarge = client.anonymous("PUT", url, bytes(content.length + 11));
    assertEquals(413, tooLarge.statusCode(), new String(tooLarge.body(), StandardCharsets.UTF_8));
    assertTrue(new String(tooLarge.body(), StandardCharsets.UTF_8).contains("slot-max-bytes"), "names the slot's limit");

    HttpResponse<byte[]> stored = client.anonymous("PUT", url, content, "Content-Type", "application/octet-stream");
    assertEquals(201, stored.statusCode(), "a failed upload leaves the slot usable: " + new String(stored.body(), StandardCharsets.UTF_8));
    JsonNode ref = json(new String(stored.body(), StandardCharsets.UTF_8));
    assertEquals("CONFIDENTIAL", ref.path("classification").asText());
    assertEquals(sha256(content), ref.path("sha256").asText());
    String id = ref.path("id").asText();
    assertArrayEquals(content, client.as(TestTokenValidator.ACME.token()).get("/v1/payloads/" + id, true).body(),
        "stored for the slot's issuer");
    assertEquals(404, client.as(TestTokenValidator.GLOBEX.token()).get("/v1/payloads/" + id, true).statusCode(),
        "owned by the issuer's tenant");

    HttpResponse<byte[]> again = client.anonymous("PUT", url, content);
    assertRefused(again, "already used");
  }

  @Test
  void issuingNeedsTheRightToReadOrWriteAndABoundedTtl() throws Exception {
    String confidential = put("CONFIDENTIAL", bytes(100));
    assertEquals(403, client.as(TestTokenValidator.INTERNAL_ANY.token()).post("/v1/payloads/" + confidential + "/urls", "{}")
        .statusCode(), "DATA_INTERNAL got a URL for CONFIDENTIAL");
    String acmes = json(client.as(TestTokenValidator.ACME.token()).put("classification=PUBLIC", bytes(10)).body())
        .path("id").asText();
    assertEquals(404, client.as(TestTokenValidator.GLOBEX.token()).post("/v1/payloads/" + acmes + "/urls", "{}").statusCode(),
        "another tenant's payload");
    assertEquals(403, client.as(TestTokenValidator.ADMIN_ONLY.token()).post("/v1/payloads/upload-slots",
        "{\"classification\":\"PUBLIC\"}").statusCode(), "a slot without write clearance");
    assertEquals(403, client.as(TestTokenValidator.INTERNAL_ANY.token()).post("/v1/payloads/upload-slots",
        "{\"classification\":\"RESTRICTED\"}").statusCode(), "a slot above the clearance");
    HttpResponse<String> tooLong = client.post("/v1/payloads/" + confidential + "/urls", "{\"ttlSeconds\":3601}");
    assertEquals(400, tooLong.statusCode(), tooLong.body());
    assertTrue(json(tooLong.body()).path("detail").asText().contains("3600"), "names the bound: " + tooLong.body());
    assertEquals(400, client.post("/v1/payloads/" + confidential + "/urls", "{\"ttlSeconds\":0}").statusCode());
    assertEquals(401, client.as("no-such-token").post("/v1/payloads/" + confidential + "/urls", "{}").statusCode());
  }

  @Test
  void theGeneratedSigningKeyIsOwnerOnly() throws Exception {
    Path key = keysDir.resolve("url-signing.key");
    assertTrue(Files.exists(key), "key generated on first start");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
  }

  private void assertRefused(HttpResponse<byte[]> r, String reasonPart) throws Exception {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertEquals(403, r.statusCode(), "expected a refusal (" + reasonPart + "), got " + r.statusCode() + ": " + body);
    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
    JsonNode problem = json(body);
    assertEquals("https://quartet.dev/problems/forbidden", problem.path("type").asText());
    assertTrue(problem.path("detail").asText().contains(reasonPart), "reason " + reasonPart + " in " + body);
  }

  private String put(String classification, byte[] content) throws Exception {
    HttpResponse<String> r = client.put("classification=" + classification, content);
    assertEquals(201, r.statusCode(), r.body());
    return json(r.body()).path("id").asText();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}

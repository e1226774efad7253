package dev.quartet.data.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.data.config.S3BlobStoreSettings;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * The data plane with {@code quartet.data.blob-store.type=s3}: a payload above the inline threshold
 * goes to the S3-compatible bucket (encrypted, content-addressed) and comes back identical.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3DataPlaneIT {
  private static final String TOKEN = "s3-data-plane-it-token";
  private static final String BUCKET = "quartet-plane-it";
  private S3rver server;
  private PlaneProcess plane;
  private S3Client client;
  private String url;

  @BeforeAll
  void start(Infrastructure infra, @TempDir Path dir) throws Exception {
    server = S3rver.start(Files.createDirectories(dir.resolve("s3")), BUCKET);
    client = S3BlobStore.client(new S3BlobStoreSettings(server.endpoint(), "us-east-1", BUCKET, "", S3rver.ACCESS_KEY,
        S3rver.SECRET_KEY, true, Duration.ofSeconds(20)));
    String schema = infra.unique("data_s3").replaceAll("[^a-z0-9_]", "_");
    infra.database().provisionOwner("quartet_" + schema, "s3-secret", schema);
    Map<String, Object> p = new HashMap<>();
    p.put("micronaut.server.port", -1);
    p.put("quartet.kafka.bootstrap-servers", infra.kafkaBootstrap());
    p.put("quartet.kafka.broker-count", 1);
    p.put("quartet.security.admin-token", TOKEN);
    p.put("datasources.data.url", infra.jdbcUrl());
    p.put("datasources.data.username", "quartet_" + schema);
    p.put("datasources.data.password", "s3-secret");
    p.put("datasources.data.schema", schema);
    p.put("flyway.datasources.data.schemas", schema);
    p.put("flyway.datasources.data.default-schema", schema);
    p.put("quartet.data.blob-store.type", "s3");
    p.put("quartet.data.blob-store.dir", dir.resolve("spool").toString());
    p.put("quartet.data.blob-store.s3.endpoint", server.endpoint());
    p.put("quartet.data.blob-store.s3.bucket", BUCKET);
    p.put("quartet.data.blob-store.s3.access-key", S3rver.ACCESS_KEY);
    p.put("quartet.data.blob-store.s3.secret-key", S3rver.SECRET_KEY);
    p.put("quartet.data.blob-store.s3.path-style", true);
    p.put("quartet.data.encryption.keys-dir", dir.resolve("keys").toString());
    plane = PlaneProcess.start(EnumSet.of(Plane.DATA), p);
    url = plane.url().toString().replaceAll("/$", "");
  }

  @AfterAll
  void stop() throws Exception {
    if (plane != null) {
      plane.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aLargeConfidentialPayloadIsStoredEncryptedInTheBucketAndComesBackIdentical() throws Exception {
    byte[] content = new byte[600 * 1024];
    new Random(5).nextBytes(content);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/payloads?classification=CONFIDENTIAL"))
        .header("Authorization", "Bearer " + TOKEN).header("X-Content-SHA256", sha)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, put.statusCode(), put.body());
    JsonNode ref = new ObjectMapper().readTree(put.body());
    assertFalse(ref.path("inline").asBoolean(), "above the inline threshold: a claim check " + ref);

    List<String> keys = client.listObjectsV2(ListObjectsV2Request.builder().bucket(BUCKET).build()).contents().stream()
        .map(o -> o.key()).toList();
    assertEquals(1, keys.size(), "one object in the bucket: " + keys);
    assertTrue(keys.get(0).startsWith("sha256/"), keys.get(0));
    ResponseBytes<GetObjectResponse> stored = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(keys.get(0)));
    assertFalse(java.util.Arrays.equals(content, stored.asByteArray()), "the bucket holds ciphertext, not the payload");

    HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/payloads/" + ref.path("id").asText()))
        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, get.statusCode());
    assertArrayEquals(content, get.body());
  }
}

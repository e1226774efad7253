package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.config.ConfigSnapshot;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import dev.quartet.schemas.ConfigSnapshotPublished;
import dev.quartet.schemas.EventCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code quartet payload quarantine list|release} and {@code payload keys rotate} against a real data plane following a signed config. */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PayloadAdminIT {
  private static final String TOKEN = "payload-admin-it-token";
  private static final String FAR = "2030-01-01T00:00:00Z";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AdminKeyPair admin = AdminKeyPair.generate(new SecureRandom());
  private PlaneProcess plane;
  private String server;
  private String scope;
  private Path dir;

  @BeforeAll
  void start(Infrastructure infra, @TempDir Path tmp) throws Exception {
    dir = tmp;
    scope = infra.unique("cli-routes") + "/dev";
    TrustRoot root = TrustRoot.create(List.of(admin.publicKey()), 1, Instant.parse(FAR));
    Path trust = Files.write(tmp.resolve("trust.json"), root.signedBy(List.of(admin)).toJsonFile());
    String schema = "data_admin_it_" + infra.unique("x").replaceAll("[^a-z0-9]", "");
    infra.database().provisionOwner("quartet_" + schema, "secret", schema);
    Map<String, Object> p = new HashMap<>();
    p.put("datasources.data.url", infra.jdbcUrl());
    p.put("datasources.data.username", "quartet_" + schema);
    p.put("datasources.data.password", "secret");
    p.put("datasources.data.schema", schema);
    p.put("flyway.datasources.data.schemas", schema);
    p.put("flyway.datasources.data.default-schema", schema);
    p.put("micronaut.server.port", -1);
    p.put("quartet.kafka.bootstrap-servers", infra.kafkaBootstrap());
    p.put("quartet.kafka.broker-count", 1);
    // The bootstrap admin token carries every data role, DATA_ADMIN included.
    p.put("quartet.security.admin-token", TOKEN);
    p.put("quartet.data.blob-store.dir", tmp.resolve("blobs").toString());
    p.put("quartet.data.encryption.keys-dir", tmp.resolve("keys").toString());
    p.put("quartet.data.config.trust-file", trust.toString());
    p.put("quartet.data.config.scopes", scope);
    plane = PlaneProcess.start(EnumSet.of(Plane.DATA), p);
    server = plane.url().toString().replaceAll("/$", "");

    Map<String, Object> body = new HashMap<>();
    body.put("degradedMode", Map.of("policy", "read-only"));
    body.put("routes", List.of(Map.of("name", "default", "classifications", List.of("PUBLIC"))));
    Map<String, Object> doc = new HashMap<>(Map.of("scope", scope, "version", 1, "parent", "", "expiresAt", FAR, "body", body));
    DsseEnvelope v1 = Dsse.sign(DsseEnvelope.unsigned(ConfigSnapshot.PAYLOAD_TYPE, CanonicalJson.serialize(doc)), admin);
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", infra.kafkaBootstrap(), "acks", "all"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      var event = ConfigSnapshotPublished.newBuilder().setScope(scope).setVersion(1).setDigest(ConfigSnapshot.digestOf(v1.payload()))
          .setParentDigest("").setIssuedAt(Instant.now()).setExpiresAt(Instant.parse(FAR))
          .setEnvelope(ByteBuffer.wrap(v1.toJson())).build();
      producer.send(new ProducerRecord<>(TopicCatalog.CONFIG_SNAPSHOTS, scope.getBytes(StandardCharsets.UTF_8),
          EventCodec.standard().encode(event))).get(10, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void aQuarantinedPayloadIsListedReleasedAndSurvivesAKeyRotation() throws Exception {
    byte[] content = new byte[5000];
    new Random(5).nextBytes(content);
    Path file = Files.write(dir.resolve("secret.bin"), content);
    // The follower applies v1 asynchronously: put until the route's rule is in force.
    JsonNode[] held = new JsonNode[1];
    await("route rules in force").atMost(Duration.ofSeconds(30)).until(() -> {
      var put = cli("--output", "json", "payload", "put", "--classification", "RESTRICTED", "--route", "default", file.toString());
      assertEquals(0, put.exitCode(), put.err());
      held[0] = JSON.readTree(put.out());
      return held[0].path("quarantined").asBoolean();
    });
    String ref = held[0].path("ref").asText();

    var list = cli("payload", "quarantine", "list");
    assertEquals(0, list.exitCode(), list.err());
    assertTrue(list.out().contains(ref) && list.out().contains("RESTRICTED is not allowed on route default"), list.out());
    var refused = cli("payload", "get", ref, "--out", dir.resolve("out.bin").toString());
    assertEquals(1, refused.exitCode(), "held: " + refused.err());
    assertTrue(refused.err().contains("quarantine"), refused.err());

    var release = cli("payload", "quarantine", "release", ref);
    assertEquals(0, release.exitCode(), release.err());
    assertTrue(release.out().contains(ref + " released"), release.out());
    assertEquals(1, cli("payload", "quarantine", "release", ref).exitCode(), "not held any more");

    var rotate = cli("--output", "json", "payload", "keys", "rotate", "--classification", "RESTRICTED");
    assertEquals(0, rotate.exitCode(), rotate.err());
    JsonNode r = JSON.readTree(rotate.out());
    assertNotEquals(held[0].path("keyId").asText(), r.path("keyId").asText());
    assertTrue(r.path("rewrapped").asLong() >= 1, r.toString());

    Path out = dir.resolve("back.bin");
    var get = cli("payload", "get", ref, "--out", out.toString());
    assertEquals(0, get.exitCode(), get.err());
    assertArrayEquals(content, Files.readAllBytes(out), "released and re-wrapped, still the same bytes");
    assertEquals(2, cli("payload", "keys", "rotate").exitCode(), "--classification is required");
  }

  private QuartetCommandLineTest.Run cli(String... args) {
    String[] full = new String[args.length + 4];
    full[0] = "--server";
    full[1] = server;
    full[2] = "--token";
    full[3] = TOKEN;
    System.arraycopy(args, 0, full, 4, args.length);
    return QuartetCommandLineTest.run(Map.of(), full);
  }
}

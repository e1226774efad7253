package dev.quartet.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.KeyFiles;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.control.domain.ConfigFixtures;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.PlaneProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spec: privileged configuration changes are blocked while the control plane cannot write
 * evidence. The evidence topic is made unwritable for real: its max.message.bytes is set below the
 * size of any evidence record, so the broker refuses every write to it (raising min.insync.replicas
 * would not do: since Kafka 3.7 the effective minimum is capped at the replica count). The
 * setting is restored afterwards; other test classes of this JVM run before or after, never during.
 */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivilegedChangeIT {
  private static final String TOKEN = "privileged-it-token";
  private static final String FAR = "2030-01-01T00:00:00Z";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MAX_MESSAGE_BYTES = "max.message.bytes";
  // Smaller than any record batch holding an evidence event.
  private static final String UNWRITABLE = "64";
  private final HttpClient http = HttpClient.newHttpClient();
  private final SecureRandom random = new SecureRandom();
  private final AdminKeyPair alice = AdminKeyPair.generate(random);
  private final AdminKeyPair bob = AdminKeyPair.generate(random);
  private PlaneProcess plane;
  private String base;
  private String bootstrap;

  @BeforeAll
  void startControlPlane(Infrastructure infra, @TempDir Path dir) throws Exception {
    Map<String, Integer> thresholds = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 2));
    AdminKeyPair leaseKey = AdminKeyPair.generate(random);
    TrustRoot root = new TrustRoot(1, Instant.parse(FAR), Set.of(alice.publicKey(), bob.publicKey()), 1, thresholds,
        Set.of(leaseKey.publicKey()), Set.of());
    KeyFiles.writeNew(leaseKey, dir.resolve("lease"));
    Path trust = Files.write(dir.resolve("trust.json"), root.signedBy(List.of(alice, bob)).toJsonFile());
    infra.database().provisionOwner("quartet_control", "control-secret", "control");
    bootstrap = infra.kafkaBootstrap();
    plane = PlaneProcess.start(EnumSet.of(Plane.CONTROL), Map.ofEntries(
        Map.entry("micronaut.server.port", -1),
        Map.entry("quartet.kafka.bootstrap-servers", bootstrap),
        Map.entry("quartet.kafka.broker-count", 1),
        // A short delivery timeout: the refusal comes once Kafka has given up on the evidence write.
        Map.entry("quartet.kafka.delivery-timeout", "4s"),
        Map.entry("quartet.kafka.request-timeout", "2s"),
        Map.entry("quartet.security.admin-token", TOKEN),
        Map.entry("quartet.control.trust-file", trust.toString()),
        Map.entry("quartet.control.lease.key-file", dir.resolve("lease.key").toString()),
        Map.entry("datasources.control.url", infra.jdbcUrl()),
        Map.entry("datasources.control.username", "quartet_control"),
        Map.entry("datasources.control.password", "control-secret")));
    base = plane.url().toString().replaceAll("/$", "");
  }

  @AfterAll
  void stop() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void aPrivilegedChangeIsRefusedWith503WhileEvidenceCannotBeWritten(Infrastructure infra) throws Exception {
    String scope = infra.unique("initech") + "/dev";
    HttpResponse<String> v1 = publish(ConfigFixtures.signed(ConfigFixtures.doc(scope, 1, "", FAR,
        ConfigFixtures.body("127.0.0.1:18080")), alice, bob));
    assertEquals(201, v1.statusCode(), v1.body());
    String head = JSON.readTree(v1.body()).path("digest").asText();
    DsseEnvelope egressChange = ConfigFixtures.signed(ConfigFixtures.doc(scope, 2, head, FAR,
        ConfigFixtures.body("10.0.0.1:443")), alice, bob);

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      ConfigResource evidence = new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalog.EVIDENCE_EVENTS);
      ConfigEntry before = admin.describeConfigs(List.of(evidence)).all().get(10, TimeUnit.SECONDS).get(evidence)
          .get(MAX_MESSAGE_BYTES);
      alter(admin, evidence, new AlterConfigOp(new ConfigEntry(MAX_MESSAGE_BYTES, UNWRITABLE), AlterConfigOp.OpType.SET),
          UNWRITABLE);
      try {
        HttpResponse<String> refused = publish(egressChange);
        assertEquals(503, refused.statusCode(), "a privileged change while evidence is unwritable: " + refused.body());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        String detail = JSON.readTree(refused.body()).path("detail").asText();
        assertTrue(detail.contains("privileged configuration change (egress, policy) blocked: evidence cannot be written"),
            detail);
        HttpResponse<String> stillHead = get("/v1/config/snapshots/" + scope);
        assertEquals(1, JSON.readTree(stillHead.body()).path("version").asLong(), "nothing was published: " + stillHead.body());
      } finally {
        boolean override = before.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG;
        alter(admin, evidence, new AlterConfigOp(new ConfigEntry(MAX_MESSAGE_BYTES, override ? before.value() : null),
            override ? AlterConfigOp.OpType.SET : AlterConfigOp.OpType.DELETE), before.value());
      }
    }
    // Once evidence can be written again, the very same signed change goes through.
    await("publish accepted once evidence is writable").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> publish(egressChange).statusCode() == 201);
    assertEquals(2, JSON.readTree(get("/v1/config/snapshots/" + scope).body()).path("version").asLong());
  }

  private static void alter(Admin admin, ConfigResource topic, AlterConfigOp op, String expected) throws Exception {
    admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get(10, TimeUnit.SECONDS);
    // The broker applies topic config changes asynchronously: wait until it reports the new value.
    await(MAX_MESSAGE_BYTES + "=" + expected).atMost(Duration.ofSeconds(10)).until(() -> expected.equals(
        admin.describeConfigs(List.of(topic)).all().get(10, TimeUnit.SECONDS).get(topic).get(MAX_MESSAGE_BYTES).value()));
  }

  private HttpResponse<String> publish(DsseEnvelope envelope) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/config/snapshots"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(envelope.toJson())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

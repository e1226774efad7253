package dev.quartet.data;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.topics.TopicCatalog;
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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static dev.quartet.data.DataPlaneClient.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data roles per classification and tenant ownership of payloads, over the real HTTP API, broker and database. */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataAccessIT {
  private static final String ADMIN_TOKEN = "data-access-it-admin";
  private final Random random = new Random(5);
  private Infrastructure infra;
  private PlaneProcess plane;
  private DataPlaneClient client;

  @BeforeAll
  void startDataPlane(Infrastructure infra, @TempDir Path dir) {
    this.infra = infra;
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
        Map.entry("quartet.data.blob-store.dir", dir.resolve("blobs").toString()),
        Map.entry("quartet.data.encryption.keys-dir", dir.resolve("keys").toString())));
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
  void platformAdminRightsAloneClearNoPayload() throws Exception {
    String id = json(client.put("classification=PUBLIC", bytes(10)).body()).path("id").asText();
    DataPlaneClient admin = client.as(TestTokenValidator.ADMIN_ONLY.token());
    HttpResponse<String> put = admin.put("classification=PUBLIC", bytes(10));
    assertEquals(403, put.statusCode(), "ADMIN without data roles stored a payload: " + put.body());
    assertEquals("application/problem+json", put.headers().firstValue("Content-Type").orElse(""));
    assertEquals("https://quartet.dev/problems/forbidden", json(put.body()).path("type").asText());
    assertEquals(403, admin.get("/v1/payloads/" + id, true).statusCode(), "ADMIN without data roles read a payload");
    // The bootstrap admin token carries the data roles as well, so a newcomer's `payload put` works.
    HttpResponse<String> bootstrap = client.as(ADMIN_TOKEN).put("classification=RESTRICTED", bytes(10));
    assertEquals(201, bootstrap.statusCode(), "bootstrap admin put: " + bootstrap.body());
  }

  @Test
  void aDataRoleClearsUpToItsClassificationOnly() throws Exception {
    DataPlaneClient internal = client.as(TestTokenValidator.INTERNAL_ANY.token());
    byte[] content = bytes(100);
    String own = json(internal.put("classification=INTERNAL", content).body()).path("id").asText();
    assertArrayEquals(content, internal.get("/v1/payloads/" + own, true).body(), "INTERNAL read back by DATA_INTERNAL");
    assertEquals(403, internal.put("classification=CONFIDENTIAL", bytes(10)).statusCode(), "DATA_INTERNAL wrote CONFIDENTIAL");
    String confidential = json(client.put("classification=CONFIDENTIAL", bytes(10)).body()).path("id").asText();
    assertEquals(403, internal.get("/v1/payloads/" + confidential, true).statusCode(), "DATA_INTERNAL read CONFIDENTIAL");
    assertEquals(403, internal.head("/v1/payloads/" + confidential).statusCode(), "DATA_INTERNAL described CONFIDENTIAL");
  }

  @Test
  void anotherTenantsPayloadDoesNotExistForTheCaller() throws Exception {
    DataPlaneClient acme = client.as(TestTokenValidator.ACME.token());
    DataPlaneClient globex = client.as(TestTokenValidator.GLOBEX.token());
    byte[] content = bytes(300 * 1024);
    String correlation = "tenant-" + UUID.randomUUID();
    HttpResponse<String> put = acme.put("classification=CONFIDENTIAL", content, "X-Correlation-Id", correlation);
    assertEquals(201, put.statusCode(), put.body());
    String id = json(put.body()).path("id").asText();
    assertEquals("acme", tenantOf(id), "owner recorded in the index");

    HttpResponse<byte[]> theirs = globex.get("/v1/payloads/" + id, true);
    HttpResponse<byte[]> unknown = globex.get("/v1/payloads/" + UUID.randomUUID(), true);
    assertEquals(404, theirs.statusCode(), "globex read acme's payload");
    assertEquals(json(new String(unknown.body())).path("type"), json(new String(theirs.body())).path("type"),
        "answered like an unknown payload");
    assertEquals(404, globex.head("/v1/payloads/" + id).statusCode(), "globex described acme's payload");
    assertEquals(404, globex.get("/v1/payloads/" + id + "/reference", true).statusCode(), "globex saw acme's reference");

    assertArrayEquals(content, acme.get("/v1/payloads/" + id, true).body(), "the owner reads it");
    assertArrayEquals(content, client.get("/v1/payloads/" + id, true).body(), "an unscoped principal reads it");
    var evidence = (EvidenceEvent) client.read(TopicCatalog.EVIDENCE_EVENTS, (k, e) -> e instanceof EvidenceEvent ev
        && correlation.equals(ev.getCorrelationId())).get(0);
    assertEquals("acme", evidence.getTenant(), "evidence recorded under the owner");
    assertEquals("alice", evidence.getAttributes().get("principal"));
  }

  @Test
  void onlyAnUnscopedPrincipalStoresForANamedTenant() throws Exception {
    DataPlaneClient acme = client.as(TestTokenValidator.ACME.token());
    String unowned = json(client.put("classification=PUBLIC", bytes(10)).body()).path("id").asText();
    assertEquals(404, acme.get("/v1/payloads/" + unowned, true).statusCode(), "acme read a payload of no tenant");
    String forAcme = json(client.put("classification=PUBLIC&tenant=acme", bytes(10)).body()).path("id").asText();
    assertEquals(200, acme.get("/v1/payloads/" + forAcme, true).statusCode(), "acme reads what was stored for it");
    assertEquals("acme", tenantOf(forAcme));
    HttpResponse<String> smuggled = acme.put("classification=PUBLIC&tenant=globex", bytes(10));
    assertEquals(403, smuggled.statusCode(), "acme stored for globex: " + smuggled.body());
    assertEquals(400, client.put("classification=PUBLIC&tenant=Not%20A%20Tenant", bytes(10)).statusCode());
  }

  private String tenantOf(String id) throws Exception {
    try (Connection c = infra.superuser().getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT tenant FROM data.payloads WHERE id = ?::uuid")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), "row of payload " + id);
        return rs.getString(1);
      }
    }
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}

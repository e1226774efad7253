package dev.quartet.contracts;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keeps the Kubernetes manifests in {@code ops/} in line with the planes they deploy. */
class OpsManifestsTest {
  private static final Path OPS = Path.of("..", "ops");

  @Test
  void everyPlaneHasADeploymentAndServiceRunningItsCommand() throws IOException {
    for (Plane plane : Plane.values()) {
      Path file = OPS.resolve("planes").resolve(plane.id() + ".yaml");
      Map<String, Map<String, Object>> byKind = new HashMap<>();
      for (Map<String, Object> doc : load(file)) {
        byKind.put((String) doc.get("kind"), doc);
      }
      assertTrue(byKind.containsKey("Deployment") && byKind.containsKey("Service"), file + " kinds: " + byKind.keySet());
      Map<String, Object> container = at(byKind.get("Deployment"), "spec", "template", "spec", "containers", 0);
      assertEquals("quartet:latest", container.get("image"), file + " image");
      assertEquals(List.of("quartet", plane.id()), container.get("command"), file + " command");
      List<String> env = new ArrayList<>();
      for (Object e : (List<?>) container.get("env")) {
        env.add((String) ((Map<?, ?>) e).get("name"));
      }
      List<String> expected = new ArrayList<>(List.of("QUARTET_KAFKA_BOOTSTRAP", "QUARTET_DB_URL", "QUARTET_TOKEN_SECRET"));
      if (plane != Plane.EVIDENCE) {
        expected.add("QUARTET_EVIDENCE_URL");  // redaction openings go to the evidence plane's Service
      }
      assertEquals(expected, env, file + " env");
      assertEquals("/health/liveness", at(container, "livenessProbe", "httpGet").get("path"), file + " liveness");
      assertEquals("/health/readiness", at(container, "readinessProbe", "httpGet").get("path"), file + " readiness");
      assertEquals("quartet-" + plane.id(), at(byKind.get("Service"), "metadata").get("name"), file + " service name");
      assertEquals(8080, at(byKind.get("Service"), "spec", "ports", 0).get("port"), file + " service port");
    }
  }

  @Test
  void ingressRoutesEachPrefixToItsPlane() throws IOException {
    Map<String, Object> ingress = load(OPS.resolve("ingress.yaml")).get(0);
    Map<String, String> routes = new HashMap<>();
    for (Object p : (List<?>) at(ingress, "spec", "rules", 0, "http").get("paths")) {
      Map<String, Object> service = at(cast(p), "backend", "service");
      assertEquals(8080, at(service, "port").get("number"), "port of " + cast(p).get("path"));
      routes.put((String) cast(p).get("path"), (String) service.get("name"));
    }
    assertEquals(Map.of("/v1/config", "quartet-control", "/v1/tokens", "quartet-control", "/v1/workers", "quartet-control",
        "/v1/tasks", "quartet-execution", "/v1/workers/self", "quartet-execution",
        "/v1/payloads", "quartet-data", "/v1/blobs", "quartet-data", "/v1/evidence", "quartet-evidence"), routes);
  }

  private static List<Map<String, Object>> load(Path file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file, StandardCharsets.UTF_8))) {
      if (doc != null) {
        docs.add(cast(doc));
      }
    }
    return docs;
  }

  /** Walks map keys and list indexes down to a map. */
  private static Map<String, Object> at(Map<String, Object> root, Object... path) {
    Object node = root;
    for (Object step : path) {
      node = step instanceof Integer ? ((List<?>) node).get((Integer) step) : ((Map<?, ?>) node).get(step);
      assertTrue(node != null, "missing " + step + " in path " + List.of(path));
    }
    return cast(node);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object node) {
    return (Map<String, Object>) node;
  }
}

package dev.quartet.control.domain;

import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The published body schema: the reference configuration passes, each malformed body is refused naming its path. */
class ConfigBodySchemaTest {
  static final Path REFERENCE = Path.of("../../../shared/examples/config.yaml");

  /** The shared reference configuration, as the JSON value model a signed payload parses into. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> referenceDocument() throws Exception {
    Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(REFERENCE));
    return (Map<String, Object>) JsonParser.parse(CanonicalJson.serialize(yaml));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> referenceBody() throws Exception {
    return deepCopy((Map<String, Object>) referenceDocument().get("body"));
  }

  @Test
  void theReferenceConfigurationValidates() throws Exception {
    assertTrue(Files.exists(REFERENCE), "the shared example is beside the checkout: " + REFERENCE.toAbsolutePath());
    ConfigBodySchema.validate(referenceBody());
  }

  @Test
  void theFixtureBodyOfTheIntegrationTestsValidates() {
    ConfigBodySchema.validate(deepCopy(ConfigFixtures.body("127.0.0.1:18080")));
  }

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        malformed("body.routes[0].maxInputBytes: must be a size such as 10MiB", b -> route(b).put("maxInputBytes", "10 megabytes")),
        malformed("body.lease.duration: must be a duration such as 500ms, 30s, 10m, 1h or 1d", b -> b.put("lease", Map.of("duration", "60"))),
        malformed("body.lease: is required", b -> b.remove("lease")),
        malformed("body.degradedMode.policy: must be one of continue-cached, read-only, stop-admission",
            b -> b.put("degradedMode", Map.of("policy", "panic"))),
        malformed("body.degradedMode.grace: is required", b -> b.put("degradedMode", Map.of("policy", "continue-cached"))),
        malformed("body.tools[2].command: is required", b -> tools(b).set(2, Map.of("name", "wc", "kind", "process"))),
        malformed("body.tools[1].kind: must be one of transform, http, process, java",
            b -> tools(b).set(1, Map.of("name", "fetch", "kind", "ftp"))),
        malformed("body.policies.egress.allow[0]: must be host:port such as 127.0.0.1:18080",
            b -> policies(b).put("egress", Map.of("allow", List.of("http://example.com")))),
        malformed("body.policies.quotas.concurrentTasks: must be a whole number of at least 0",
            b -> policies(b).put("quotas", Map.of("concurrentTasks", -1.0))),
        malformed("body.policies.quotas.tasksPerMinute: must be a whole number of at least 0",
            b -> policies(b).put("quotas", Map.of("tasksPerMinute", 1.5))),
        malformed("body.policies.approvals[0].classification: must be one of PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED",
            b -> policies(b).put("approvals", List.of(Map.of("tool", "wc", "classification", "SECRET")))),
        malformed("body.routes[0].classifications[1]: must be one of PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED",
            b -> route(b).put("classifications", List.of("PUBLIC", "public"))),
        malformed("body.retention.payloads: must be a duration such as 500ms, 30s, 10m, 1h or 1d",
            b -> b.put("retention", Map.of("payloads", 30.0))),
        malformed("body.rollout.cohort: must be a percentage from 0% to 100%", b -> b.put("rollout", Map.of("cohort", "150%"))),
        malformed("body.rollout.labels.zone: must be a label value (string)",
            b -> b.put("rollout", Map.of("labels", Map.of("zone", 1.0)))),
        malformed("body.rollout.bak: unknown field; allowed: [cohort, labels, bake, maxNackRate]",
            b -> b.put("rollout", Map.of("bak", "10m"))),
        malformed("body.route: unknown field", b -> b.put("route", List.of())),
        malformed("body.tools: must be a list of tools (the tool registry)", b -> b.put("tools", "transform")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  void eachMalformedBodyIsRefusedNamingItsPath(String expected, Consumer<Map<String, Object>> breakIt) throws Exception {
    Map<String, Object> body = referenceBody();
    breakIt.accept(body);
    ConfigDocumentException e = assertThrows(ConfigDocumentException.class, () -> ConfigBodySchema.validate(body),
        "expected a refusal: " + expected);
    assertTrue(e.getMessage().startsWith(expected),
        "expected \"" + expected + "\", was \"" + e.getMessage() + "\"");
    assertEquals(expected.substring(0, expected.indexOf(':')), e.path());
  }

  @Test
  void aSchemaKeywordTheValidatorDoesNotEnforceIsRefusedWhenBuilt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new JsonSchemaValidator(Map.of("type", "object", "oneOf", List.of())));
    assertTrue(e.getMessage().contains("oneOf"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new JsonSchemaValidator(Map.of("$ref", "#/$defs/missing")));
  }

  @Test
  void thePublishedDocumentDeclaresDraft2020_12() {
    @SuppressWarnings("unchecked")
    Map<String, Object> schema = (Map<String, Object>) JsonParser.parse(ConfigBodySchema.document());
    assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema"));
  }

  private static Arguments malformed(String expected, Consumer<Map<String, Object>> breakIt) {
    return Arguments.of(expected, breakIt);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> route(Map<String, Object> body) {
    return ((List<Map<String, Object>>) body.get("routes")).get(0);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> tools(Map<String, Object> body) {
    return (List<Object>) body.get("tools");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> policies(Map<String, Object> body) {
    return (Map<String, Object>) body.get("policies");
  }

  @SuppressWarnings("unchecked")
  static <T> T deepCopy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new HashMap<>();
      m.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
      return (T) copy;
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      l.forEach(v -> copy.add(deepCopy(v)));
      return (T) copy;
    }
    if (value instanceof Integer i) {
      return (T) Double.valueOf(i);
    }
    return value;
  }
}

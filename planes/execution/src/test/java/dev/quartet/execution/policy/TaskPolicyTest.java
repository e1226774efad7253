package dev.quartet.execution.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quartet.contracts.trust.JsonParser;
import dev.quartet.schemas.Classification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class TaskPolicyTest {
  /** The body of ../shared/examples/config.yaml, as a worker parses it from canonical JSON. */
  static final String REFERENCE_BODY = """
      {"lease":{"duration":"60s"},"degradedMode":{"policy":"continue-cached","grace":"10m"},
       "tools":[{"name":"transform","kind":"transform"},{"name":"fetch","kind":"http"},
                {"name":"wc","kind":"process","command":["wc","-c"]}],
       "policies":{"egress":{"allow":["127.0.0.1:18080"]},
                   "quotas":{"concurrentTasks":64,"tasksPerMinute":6000,"storedBytes":"10GiB"},
                   "approvals":[{"tool":"wc","classification":"RESTRICTED"}]},
       "routes":[{"name":"default","classifications":["PUBLIC","INTERNAL","CONFIDENTIAL","RESTRICTED"],
                  "maxInputBytes":"10MiB","maxTaskBytes":"20MiB"}],
       "retention":{"evidence":"400d","payloads":"30d"},"rollout":{"cohort":"100%","bake":"0s"}}
      """;
  private static final String DIGEST = "ab".repeat(32);

  @SuppressWarnings("unchecked")
  static Map<String, Object> referenceBody() {
    return (Map<String, Object>) JsonParser.parse(REFERENCE_BODY);
  }

  private static TaskPolicy reference() {
    return TaskPolicy.fromBody(referenceBody(), 7, DIGEST);
  }

  @Test
  void readsEverySectionOfTheReferenceBody() {
    TaskPolicy p = reference();
    assertEquals(7, p.configVersion());
    assertEquals(DIGEST, p.configDigest());
    assertEquals(List.of("transform", "fetch", "wc"), List.copyOf(p.tools().keySet()));
    assertEquals(new ToolDefinition("wc", "process", List.of("wc", "-c")), p.tools().get("wc"));
    assertEquals(List.of(), p.tools().get("fetch").command());
    assertTrue(p.egress().allows("127.0.0.1", 18080));
    assertFalse(p.egress().allows("127.0.0.1", 18081));
    assertFalse(p.egress().allows("localhost", 18080));
    assertEquals(new QuotaLimits(64, 6000), p.quotas());
    assertEquals(List.of(new ApprovalRule("approvals[0]", "wc", Classification.RESTRICTED)), p.approvals());
    RouteLimits route = p.routeFor(Classification.RESTRICTED).orElseThrow();
    assertEquals("default", route.name());
    assertEquals(10L << 20, route.maxInputBytes());
    assertEquals(20L << 20, route.maxTaskBytes());
  }

  @Test
  void admitsARegisteredToolAndStampsNothingElse() {
    PolicyDecision d = reference().admit(new TaskRequestFacts("transform", Classification.CONFIDENTIAL, "default"));
    assertEquals(new PolicyDecision.Allowed(reference().tools().get("transform")), d);
  }

  @Test
  void deniesAToolOutsideTheRegistryNamingTheToolsPolicy() {
    PolicyDecision d = reference().admit(new TaskRequestFacts("curl", Classification.PUBLIC, "default"));
    PolicyDecision.Denied denied = assertInstanceOf(PolicyDecision.Denied.class, d);
    assertEquals("tools", denied.policy());
  }

  @Test
  void approvalAppliesAtOrAboveTheRuleClassification() {
    Map<String, Object> body = referenceBody();
    policies(body).put("approvals", List.of(Map.of("tool", "wc", "classification", "CONFIDENTIAL")));
    TaskPolicy p = TaskPolicy.fromBody(body, 1, DIGEST);
    assertInstanceOf(PolicyDecision.Allowed.class, p.admit(new TaskRequestFacts("wc", Classification.INTERNAL, "t")));
    assertEquals(new PolicyDecision.NeedsApproval("approvals[0]"),
        p.admit(new TaskRequestFacts("wc", Classification.CONFIDENTIAL, "t")));
    assertEquals(new PolicyDecision.NeedsApproval("approvals[0]"),
        p.admit(new TaskRequestFacts("wc", Classification.RESTRICTED, "t")));
    assertInstanceOf(PolicyDecision.Allowed.class,
        p.admit(new TaskRequestFacts("transform", Classification.RESTRICTED, "t")));
  }

  @Test
  void anApprovalRuleWithoutClassificationGatesEveryTaskOfItsTool() {
    Map<String, Object> body = referenceBody();
    policies(body).put("approvals", List.of(Map.of("tool", "fetch")));
    TaskPolicy p = TaskPolicy.fromBody(body, 1, DIGEST);
    assertEquals(new PolicyDecision.NeedsApproval("approvals[0]"),
        p.admit(new TaskRequestFacts("fetch", Classification.PUBLIC, "t")));
  }

  @Test
  void deniesAClassificationNoRouteCarries() {
    Map<String, Object> body = referenceBody();
    body.put("routes", List.of(Map.of("name", "open", "classifications", List.of("PUBLIC"))));
    TaskPolicy p = TaskPolicy.fromBody(body, 1, DIGEST);
    PolicyDecision.Denied denied = assertInstanceOf(PolicyDecision.Denied.class,
        p.admit(new TaskRequestFacts("transform", Classification.INTERNAL, "t")));
    assertEquals("routes", denied.policy());
    assertEquals(RouteLimits.DEFAULT_MAX_INPUT_BYTES, p.routeFor(Classification.PUBLIC).orElseThrow().maxInputBytes());
  }

  @Test
  void absentQuotasAreUnlimited() {
    Map<String, Object> body = referenceBody();
    policies(body).remove("quotas");
    assertEquals(new QuotaLimits(QuotaLimits.UNLIMITED, QuotaLimits.UNLIMITED),
        TaskPolicy.fromBody(body, 1, DIGEST).quotas());
  }

  @Test
  void aMalformedSectionNamesItsFieldPath() {
    expectField("body.tools", b -> b.put("tools", "wc"));
    expectField("body.tools[2].command", b -> tools(b).set(2, Map.of("name", "wc", "kind", "process")));
    expectField("body.tools[2].command[0]", b -> tools(b).set(2, Map.of("name", "wc", "kind", "process",
        "command", List.of(1.0))));
    expectField("body.tools[1].kind", b -> tools(b).set(1, Map.of("name", "fetch")));
    expectField("body.tools[1].name", b -> tools(b).set(1, Map.of("name", "transform", "kind", "http")));
    expectField("body.tools[0]", b -> tools(b).set(0, Map.of("name", "bad name", "kind", "transform")));
    expectField("body.policies.egress.allow[0]", b -> policies(b).put("egress", Map.of("allow", List.of("nope"))));
    expectField("body.policies.quotas.concurrentTasks", b -> policies(b).put("quotas", Map.of("concurrentTasks", -1.0)));
    expectField("body.policies.quotas.tasksPerMinute", b -> policies(b).put("quotas", Map.of("tasksPerMinute", 1.5)));
    expectField("body.policies.approvals[0].classification",
        b -> policies(b).put("approvals", List.of(Map.of("tool", "wc", "classification", "SECRET"))));
    expectField("body.policies.approvals[0].tool", b -> policies(b).put("approvals", List.of(Map.of())));
    expectField("body.routes[0].maxInputBytes", b -> b.put("routes", List.of(Map.of("name", "r",
        "classifications", List.of("PUBLIC"), "maxInputBytes", "10MB"))));
    expectField("body.routes[0].classifications[1]", b -> b.put("routes", List.of(Map.of("name", "r",
        "classifications", List.of("PUBLIC", "TOP")))));
    expectField("body.routes", b -> b.remove("routes"));
  }

  @Test
  void sizesParseExactlyForEveryUnit() {
    Random random = new Random(20261124L);
    String[] units = {"", "B", "KiB", "MiB", "GiB", "TiB"};
    int[] shifts = {0, 0, 10, 20, 30, 40};
    for (int i = 0; i < 1000; i++) {
      int u = random.nextInt(units.length);
      long n = random.nextInt(1 << 20);
      assertEquals(n << shifts[u], DataSize.parse(n + units[u]).bytes(), n + units[u]);
    }
    for (String bad : List.of("", "10MB", "-1", "1.5MiB", "10 MiB", "9999999999999999TiB", "MiB")) {
      assertThrows(IllegalArgumentException.class, () -> DataSize.parse(bad), bad);
    }
  }

  @Test
  void randomRuleSetsNeedApprovalExactlyWhenARuleMatchesAtOrAbove() {
    Random random = new Random(424242L);
    List<String> tools = List.of("transform", "fetch", "wc");
    Classification[] classes = Classification.values();
    for (int round = 0; round < 300; round++) {
      Map<String, Object> body = referenceBody();
      List<Object> rules = new ArrayList<>();
      List<String[]> expected = new ArrayList<>();
      for (int r = random.nextInt(4); r > 0; r--) {
        String tool = tools.get(random.nextInt(tools.size()));
        Classification at = classes[random.nextInt(classes.length)];
        rules.add(Map.of("tool", tool, "classification", at.name()));
        expected.add(new String[] {tool, at.name()});
      }
      policies(body).put("approvals", rules);
      TaskPolicy p = TaskPolicy.fromBody(body, 1, DIGEST);
      String tool = tools.get(random.nextInt(tools.size()));
      Classification c = classes[random.nextInt(classes.length)];
      int firstMatch = -1;
      for (int i = 0; i < expected.size() && firstMatch < 0; i++) {
        if (expected.get(i)[0].equals(tool) && c.ordinal() >= Classification.valueOf(expected.get(i)[1]).ordinal()) {
          firstMatch = i;
        }
      }
      PolicyDecision d = p.admit(new TaskRequestFacts(tool, c, "t"));
      PolicyDecision want = firstMatch < 0 ? new PolicyDecision.Allowed(p.tools().get(tool))
          : new PolicyDecision.NeedsApproval("approvals[" + firstMatch + "]");
      assertEquals(want, d, "round " + round + ": " + tool + " " + c);
    }
  }

  @Test
  void classificationsAreOrderedAsTheSpecSays() {
    assertEquals(List.of(Classification.PUBLIC, Classification.INTERNAL, Classification.CONFIDENTIAL,
        Classification.RESTRICTED), List.of(Classification.values()));
  }

  @Test
  void egressEntriesAreCheckedAndCaseInsensitive() {
    EgressPolicy e = new EgressPolicy(Set.of("Example.ORG:443", "[2001:db8::1]:8443"));
    assertTrue(e.allows("example.org", 443));
    assertTrue(e.allows("2001:db8::1", 8443));
    assertFalse(e.allows("example.org", 80));
    for (String bad : List.of("example.org", "example.org:0", "example.org:70000", "a b:80", ":80", "host:")) {
      assertThrows(IllegalArgumentException.class, () -> new EgressPolicy(Set.of(bad)), bad);
    }
  }

  private static void expectField(String field, Consumer<Map<String, Object>> corrupt) {
    Map<String, Object> body = referenceBody();
    corrupt.accept(body);
    PolicyConfigException e = assertThrows(PolicyConfigException.class, () -> TaskPolicy.fromBody(body, 1, DIGEST),
        "expected a refusal naming " + field);
    assertEquals(field, e.field(), e.getMessage());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> policies(Map<String, Object> body) {
    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) body.get("policies"));
    body.put("policies", copy);
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> tools(Map<String, Object> body) {
    List<Object> copy = new ArrayList<>((List<Object>) body.get("tools"));
    body.put("tools", copy);
    return copy;
  }
}

package dev.quartet.control.domain;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shape of a configuration body (the fields of the reference configuration are the
 * contract: more may be added, none removed). Each violation names its field path.
 */
final class ConfigBodyRules {
  private static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("\\d+(B|KiB|MiB|GiB|TiB)?");
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}");
  private static final Pattern PERCENT = Pattern.compile("(100|[1-9]?\\d)%");
  private static final Set<String> DEGRADED_POLICIES = Set.of("continue-cached", "read-only", "stop-admission");
  private static final Set<String> TOOL_KINDS = Set.of("transform", "http", "process", "java");
  private static final Set<String> CLASSIFICATIONS = Set.of("PUBLIC", "INTERNAL", "CONFIDENTIAL", "RESTRICTED");

  private ConfigBodyRules() {}

  static void check(Map<String, Object> body) {
    Map<String, Object> lease = object(body, "lease", "body.lease", true);
    matches(lease, "duration", "body.lease.duration", DURATION, true);
    Map<String, Object> degraded = object(body, "degradedMode", "body.degradedMode", true);
    oneOf(degraded, "policy", "body.degradedMode.policy", DEGRADED_POLICIES);
    matches(degraded, "grace", "body.degradedMode.grace", DURATION, "continue-cached".equals(degraded.get("policy")));
    List<Object> tools = list(body, "tools", "body.tools", true);
    for (int i = 0; i < tools.size(); i++) {
      String path = "body.tools[" + i + "]";
      Map<String, Object> tool = element(tools.get(i), path);
      text(tool, "name", path + ".name", true);
      oneOf(tool, "kind", path + ".kind", TOOL_KINDS);
      if ("process".equals(tool.get("kind"))) {
        List<Object> command = list(tool, "command", path + ".command", true);
        if (command.isEmpty() || !command.stream().allMatch(String.class::isInstance)) {
          throw new ConfigDocumentException(path + ".command", "must be a non-empty list of strings");
        }
      }
    }
    checkPolicies(object(body, "policies", "body.policies", false));
    List<Object> routes = list(body, "routes", "body.routes", true);
    for (int i = 0; i < routes.size(); i++) {
      String path = "body.routes[" + i + "]";
      Map<String, Object> route = element(routes.get(i), path);
      text(route, "name", path + ".name", true);
      List<Object> classes = list(route, "classifications", path + ".classifications", true);
      for (int c = 0; c < classes.size(); c++) {
        if (!CLASSIFICATIONS.contains(classes.get(c))) {
          throw new ConfigDocumentException(path + ".classifications[" + c + "]", "must be one of " + CLASSIFICATIONS);
        }
      }
      matches(route, "maxInputBytes", path + ".maxInputBytes", SIZE, false);
      matches(route, "maxTaskBytes", path + ".maxTaskBytes", SIZE, false);
    }
    Map<String, Object> retention = object(body, "retention", "body.retention", false);
    matches(retention, "evidence", "body.retention.evidence", DURATION, false);
    matches(retention, "payloads", "body.retention.payloads", DURATION, false);
    Map<String, Object> rollout = object(body, "rollout", "body.rollout", false);
    matches(rollout, "cohort", "body.rollout.cohort", PERCENT, false);
    matches(rollout, "bake", "body.rollout.bake", DURATION, false);
  }

  private static void checkPolicies(Map<String, Object> policies) {
    Map<String, Object> egress = object(policies, "egress", "body.policies.egress", false);
    List<Object> allow = list(egress, "allow", "body.policies.egress.allow", false);
    for (int i = 0; i < allow.size(); i++) {
      if (!(allow.get(i) instanceof String s) || !HOST_PORT.matcher(s).matches()) {
        throw new ConfigDocumentException("body.policies.egress.allow[" + i + "]", "must be host:port");
      }
    }
    Map<String, Object> quotas = object(policies, "quotas", "body.policies.quotas", false);
    wholeNumber(quotas, "concurrentTasks", "body.policies.quotas.concurrentTasks");
    wholeNumber(quotas, "tasksPerMinute", "body.policies.quotas.tasksPerMinute");
    matches(quotas, "storedBytes", "body.policies.quotas.storedBytes", SIZE, false);
    List<Object> approvals = list(policies, "approvals", "body.policies.approvals", false);
    for (int i = 0; i < approvals.size(); i++) {
      Map<String, Object> rule = element(approvals.get(i), "body.policies.approvals[" + i + "]");
      text(rule, "tool", "body.policies.approvals[" + i + "].tool", true);
      if (rule.containsKey("classification")) {
        oneOf(rule, "classification", "body.policies.approvals[" + i + "].classification", CLASSIFICATIONS);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> parent, String key, String path, boolean required) {
    Object v = parent.get(key);
    if (v == null) {
      if (required) {
        throw new ConfigDocumentException(path, "is required");
      }
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new ConfigDocumentException(path, "must be an object");
    }
    return (Map<String, Object>) m;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> parent, String key, String path, boolean required) {
    Object v = parent.get(key);
    if (v == null) {
      if (required) {
        throw new ConfigDocumentException(path, "is required");
      }
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw new ConfigDocumentException(path, "must be a list");
    }
    return (List<Object>) l;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> element(Object v, String path) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new ConfigDocumentException(path, "must be an object");
    }
    return (Map<String, Object>) m;
  }

  private static void text(Map<String, Object> parent, String key, String path, boolean required) {
    Object v = parent.get(key);
    if (v == null && !required) {
      return;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw new ConfigDocumentException(path, "is required and must be a non-empty string");
    }
  }

  private static void matches(Map<String, Object> parent, String key, String path, Pattern pattern, boolean required) {
    Object v = parent.get(key);
    if (v == null && !required) {
      return;
    }
    if (!(v instanceof String s) || !pattern.matcher(s).matches()) {
      throw new ConfigDocumentException(path, (v == null ? "is required; " : "") + "must match " + pattern);
    }
  }

  private static void oneOf(Map<String, Object> parent, String key, String path, Set<String> allowed) {
    if (!allowed.contains(parent.get(key))) {
      throw new ConfigDocumentException(path, "must be one of " + allowed);
    }
  }

  private static void wholeNumber(Map<String, Object> parent, String key, String path) {
    Object v = parent.get(key);
    if (v != null && (!(v instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.rint(n.doubleValue()))) {
      throw new ConfigDocumentException(path, "must be a non-negative whole number");
    }
  }
}

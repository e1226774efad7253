package dev.quartet.execution.policy;

import dev.quartet.schemas.Classification;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The task policy of one applied, verified config version: tool registry, egress allowlist, quotas,
 * approval rules and route limits. Pure: {@link #admit} decides from the facts alone; quotas that
 * need counters are enforced by {@link TenantQuotas} with {@link #quotas()}. Version and digest
 * travel with it so every decision can be stamped with the config that made it.
 */
public record TaskPolicy(long configVersion, String configDigest, Map<String, ToolDefinition> tools,
                         EgressPolicy egress, QuotaLimits quotas, List<ApprovalRule> approvals,
                         List<RouteLimits> routes) {
  /** @throws IllegalArgumentException if the version is below 1 */
  public TaskPolicy {
    if (configVersion < 1) {
      throw new IllegalArgumentException("configVersion must be at least 1");
    }
    tools = Collections.unmodifiableMap(new LinkedHashMap<>(tools));
    approvals = List.copyOf(approvals);
    routes = List.copyOf(routes);
  }

  /**
   * Reads the policy sections of a config body ({@code tools}, {@code policies}, {@code routes}).
   *
   * @throws PolicyConfigException naming the field path when a section is malformed
   */
  public static TaskPolicy fromBody(Map<String, Object> body, long configVersion, String configDigest) {
    Map<String, ToolDefinition> tools = tools(body);
    Map<String, Object> policies = PolicyBody.object(body, "policies", "body.policies", false);
    Map<String, Object> egress = PolicyBody.object(policies, "egress", "body.policies.egress", false);
    List<Object> allow = PolicyBody.list(egress, "allow", "body.policies.egress.allow", false);
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < allow.size(); i++) {
      String path = "body.policies.egress.allow[" + i + "]";
      if (!(allow.get(i) instanceof String s)) {
        throw new PolicyConfigException(path, "must be host:port");
      }
      try {
        new EgressPolicy(Set.of(s));
      } catch (IllegalArgumentException e) {
        throw new PolicyConfigException(path, e.getMessage());
      }
      hosts.add(s);
    }
    Map<String, Object> quotas = PolicyBody.object(policies, "quotas", "body.policies.quotas", false);
    QuotaLimits limits = new QuotaLimits(
        PolicyBody.wholeNumber(quotas, "concurrentTasks", "body.policies.quotas.concurrentTasks", QuotaLimits.UNLIMITED),
        PolicyBody.wholeNumber(quotas, "tasksPerMinute", "body.policies.quotas.tasksPerMinute", QuotaLimits.UNLIMITED));
    return new TaskPolicy(configVersion, configDigest, tools, new EgressPolicy(Set.copyOf(hosts)), limits,
        approvals(policies), routes(body));
  }

  /**
   * Decides whether a task may run: its tool must be registered, some route must carry its
   * classification, and no approval rule may match (else it waits for an approver).
   */
  public PolicyDecision admit(TaskRequestFacts facts) {
    ToolDefinition tool = tools.get(facts.tool());
    if (tool == null) {
      return new PolicyDecision.Denied("tools", "tool '" + facts.tool() + "' is not in the tool registry");
    }
    if (routeFor(facts.classification()).isEmpty()) {
      return new PolicyDecision.Denied("routes", "no route carries " + facts.classification() + " data");
    }
    for (ApprovalRule rule : approvals) {
      if (rule.matches(tool.name(), facts.classification())) {
        return new PolicyDecision.NeedsApproval(rule.name());
      }
    }
    return new PolicyDecision.Allowed(tool);
  }

  /** The first route that carries data of this classification, whose limits apply to the task. */
  public Optional<RouteLimits> routeFor(Classification classification) {
    return routes.stream().filter(r -> r.classifications().contains(classification)).findFirst();
  }

  /** Rank of a classification, spec "Data": PUBLIC &lt; INTERNAL &lt; CONFIDENTIAL &lt; RESTRICTED. */
  static int rank(Classification c) {
    return switch (c) {
      case PUBLIC -> 0;
      case INTERNAL -> 1;
      case CONFIDENTIAL -> 2;
      case RESTRICTED -> 3;
    };
  }

  private static Map<String, ToolDefinition> tools(Map<String, Object> body) {
    List<Object> list = PolicyBody.list(body, "tools", "body.tools", true);
    Map<String, ToolDefinition> tools = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "body.tools[" + i + "]";
      Map<String, Object> tool = PolicyBody.element(list.get(i), path);
      String name = PolicyBody.text(tool, "name", path + ".name");
      String kind = PolicyBody.text(tool, "kind", path + ".kind");
      List<String> command = new ArrayList<>();
      List<Object> argv = PolicyBody.list(tool, "command", path + ".command", "process".equals(kind));
      for (int a = 0; a < argv.size(); a++) {
        if (!(argv.get(a) instanceof String s) || (a == 0 && s.isBlank())) {
          throw new PolicyConfigException(path + ".command[" + a + "]", "must be a string (argv[0] non-blank)");
        }
        command.add((String) argv.get(a));
      }
      try {
        if (tools.put(name, new ToolDefinition(name, kind, command)) != null) {
          throw new PolicyConfigException(path + ".name", "duplicates an earlier tool");
        }
      } catch (PolicyConfigException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new PolicyConfigException(path, e.getMessage());
      }
    }
    return tools;
  }

  private static List<ApprovalRule> approvals(Map<String, Object> policies) {
    List<Object> list = PolicyBody.list(policies, "approvals", "body.policies.approvals", false);
    List<ApprovalRule> rules = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "body.policies.approvals[" + i + "]";
      Map<String, Object> rule = PolicyBody.element(list.get(i), path);
      String tool = PolicyBody.text(rule, "tool", path + ".tool");
      // A rule without a classification gates every task of the tool.
      Classification at = rule.get("classification") == null ? Classification.PUBLIC
          : PolicyBody.classification(rule.get("classification"), path + ".classification");
      rules.add(new ApprovalRule("approvals[" + i + "]", tool, at));
    }
    return rules;
  }

  private static List<RouteLimits> routes(Map<String, Object> body) {
    List<Object> list = PolicyBody.list(body, "routes", "body.routes", true);
    List<RouteLimits> routes = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "body.routes[" + i + "]";
      Map<String, Object> route = PolicyBody.element(list.get(i), path);
      String name = PolicyBody.text(route, "name", path + ".name");
      List<Object> names = PolicyBody.list(route, "classifications", path + ".classifications", true);
      Set<Classification> classes = EnumSet.noneOf(Classification.class);
      for (int c = 0; c < names.size(); c++) {
        classes.add(PolicyBody.classification(names.get(c), path + ".classifications[" + c + "]"));
      }
      long maxInput = PolicyBody.size(route, "maxInputBytes", path + ".maxInputBytes",
          RouteLimits.DEFAULT_MAX_INPUT_BYTES);
      long maxTask = PolicyBody.size(route, "maxTaskBytes", path + ".maxTaskBytes", RouteLimits.DEFAULT_MAX_TASK_BYTES);
      if (maxInput < 1 || maxTask < 1) {
        throw new PolicyConfigException(path, "limits must be positive");
      }
      routes.add(new RouteLimits(name, classes, maxInput, maxTask));
    }
    return routes;
  }

  @Override
  public String toString() {
    // Registries carry commands and hosts: name the version, not the contents.
    return "TaskPolicy[v" + configVersion + " " + configDigest + ", " + tools.size() + " tools]";
  }
}

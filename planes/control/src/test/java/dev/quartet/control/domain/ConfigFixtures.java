package dev.quartet.control.domain;

import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Configuration documents and envelopes for tests. */
public final class ConfigFixtures {
  private ConfigFixtures() {}

  public static Map<String, Object> body(String egressHost) {
    Map<String, Object> body = new HashMap<>();
    body.put("lease", Map.of("duration", "60s"));
    body.put("degradedMode", Map.of("policy", "continue-cached", "grace", "10m"));
    body.put("tools", List.of(Map.of("name", "transform", "kind", "transform"),
        Map.of("name", "wc", "kind", "process", "command", List.of("wc", "-c"))));
    body.put("policies", Map.of("egress", Map.of("allow", List.of(egressHost)),
        "quotas", Map.of("concurrentTasks", 64, "storedBytes", "10GiB")));
    body.put("routes", List.of(Map.of("name", "default", "classifications", List.of("PUBLIC", "RESTRICTED"),
        "maxInputBytes", "10MiB")));
    return body;
  }

  public static Map<String, Object> doc(String scope, long version, String parent, String expiresAt, Map<String, Object> body) {
    return Map.of("scope", scope, "version", version, "parent", parent, "expiresAt", expiresAt, "body", body);
  }

  public static DsseEnvelope signed(Map<String, Object> doc, AdminKeyPair... keys) {
    DsseEnvelope env = DsseEnvelope.unsigned(ConfigSnapshot.PAYLOAD_TYPE, ConfigSnapshot.canonical(doc));
    for (AdminKeyPair k : keys) {
      env = Dsse.sign(env, k);
    }
    return env;
  }

}

package dev.quartet.execution.domain;

import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Config documents and signed envelopes for tests, as an admin's `quartet config sign` makes them. */
public final class ConfigFixtures {
  private ConfigFixtures() {}

  /** A body like the reference configuration, with {@code egressHost} as the only allowed egress. */
  public static Map<String, Object> body(String egressHost) {
    Map<String, Object> body = new HashMap<>();
    body.put("lease", Map.of("duration", "60s"));
    body.put("degradedMode", Map.of("policy", "continue-cached", "grace", "10m"));
    body.put("tools", List.of(Map.of("name", "transform", "kind", "transform")));
    body.put("policies", Map.of("egress", Map.of("allow", List.of(egressHost)),
        "quotas", Map.of("concurrentTasks", 64, "storedBytes", "10GiB")));
    body.put("routes", List.of(Map.of("name", "default", "classifications", List.of("PUBLIC"))));
    return body;
  }

  /** {@link #body} with another degraded-mode policy (and grace, or null for none). */
  public static Map<String, Object> body(String egressHost, String degradedPolicy, String grace) {
    Map<String, Object> body = body(egressHost);
    Map<String, Object> mode = new HashMap<>();
    mode.put("policy", degradedPolicy);
    if (grace != null) {
      mode.put("grace", grace);
    }
    body.put("degradedMode", mode);
    return body;
  }

  /** A document of {@code scope} at {@code version} following {@code parent}. */
  public static Map<String, Object> doc(String scope, long version, String parent, String expiresAt, Map<String, Object> body) {
    Map<String, Object> doc = new HashMap<>();
    doc.put("scope", scope);
    doc.put("version", version);
    doc.put("parent", parent);
    doc.put("expiresAt", expiresAt);
    doc.put("body", body);
    return doc;
  }

  /** The canonical document signed by each of {@code keys}. */
  public static DsseEnvelope signed(Map<String, Object> doc, AdminKeyPair... keys) {
    DsseEnvelope env = DsseEnvelope.unsigned(ConfigSnapshot.PAYLOAD_TYPE, CanonicalJson.serialize(doc));
    for (AdminKeyPair k : keys) {
      env = Dsse.sign(env, k);
    }
    return env;
  }

  /** The digest a worker computes for {@code envelope}'s snapshot: the next version's parent. */
  public static String digest(DsseEnvelope envelope) {
    return ConfigSnapshot.digestOf(envelope.payload());
  }
}

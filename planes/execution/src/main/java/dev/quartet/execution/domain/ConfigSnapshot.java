package dev.quartet.execution.domain;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.JsonParser;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One config version as a worker reads it from the exact signed bytes. The worker parses what it
 * needs itself (a plane never trusts another plane's classes or word): the chain fields, the
 * policies that decide the signature threshold, and the degraded-mode policy. The body is kept,
 * deeply immutable, for the slices that use tools, routes and quotas.
 */
public record ConfigSnapshot(ConfigScope scope, long version, String parent, Instant issuedAt, Instant expiresAt,
                             Map<String, Object> body, DegradedMode degradedMode, String digest) {
  /** DSSE payloadType of a configuration snapshot (spec "Trust and configuration"). */
  public static final String PAYLOAD_TYPE = "application/vnd.quartet.config+json";
  private static final Set<String> FIELDS = Set.of("scope", "version", "parent", "issuedAt", "expiresAt", "body");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
  // JSON numbers are binary64: beyond 2^53 a version would no longer be exact.
  private static final double MAX_VERSION = 9_007_199_254_740_991d;

  /** @throws ConfigDocumentException if the chain fields are inconsistent */
  public ConfigSnapshot {
    if (version < 1) {
      throw new ConfigDocumentException("version", "must be at least 1, was " + version);
    }
    if (!parent.isEmpty() && !parent.matches("[0-9a-f]{64}")) {
      throw new ConfigDocumentException("parent", "must be empty or 64 lowercase hex digits");
    }
    if ((version == 1) != parent.isEmpty()) {
      throw new ConfigDocumentException("parent", "must be empty for version 1 and only for version 1");
    }
  }

  /**
   * Reads a snapshot from the bytes that were signed; they must be RFC 8785 canonical JSON so that
   * every party computes the same digest.
   *
   * @throws ConfigDocumentException naming the field when the document is malformed
   */
  public static ConfigSnapshot fromSignedPayload(byte[] payload) {
    Object parsed;
    try {
      parsed = JsonParser.parse(payload);
    } catch (IllegalArgumentException e) {
      throw new ConfigDocumentException("$", "not valid JSON: " + e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> doc)) {
      throw new ConfigDocumentException("$", "must be a JSON object");
    }
    if (!Arrays.equals(payload, CanonicalJson.serialize(doc))) {
      throw new ConfigDocumentException("$", "payload is not RFC 8785 canonical JSON");
    }
    for (Object key : doc.keySet()) {
      if (!FIELDS.contains(key)) {
        throw new ConfigDocumentException("$", "unknown top-level field; allowed: " + FIELDS);
      }
    }
    ConfigScope scope;
    try {
      scope = ConfigScope.parse(string(doc, "scope"));
    } catch (IllegalArgumentException e) {
      throw new ConfigDocumentException("scope", e.getMessage());
    }
    if (!(doc.get("version") instanceof Double v) || v != Math.rint(v) || v < 1 || v > MAX_VERSION) {
      throw new ConfigDocumentException("version", "must be a whole number from 1 to 2^53 - 1");
    }
    Object parent = doc.get("parent");
    if (parent != null && !(parent instanceof String)) {
      throw new ConfigDocumentException("parent", "must be a string");
    }
    Instant issuedAt = doc.containsKey("issuedAt") ? instant(doc, "issuedAt") : null;
    if (!(doc.get("body") instanceof Map<?, ?> body)) {
      throw new ConfigDocumentException("body", "is required and must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> frozen = (Map<String, Object>) freeze(body);
    return new ConfigSnapshot(scope, v.longValue(), parent == null ? "" : (String) parent, issuedAt,
        instant(doc, "expiresAt"), frozen, degradedMode(frozen), digestOf(payload));
  }

  /** Lowercase hex SHA-256 of {@code bytes}: a snapshot's digest and the next version's parent. */
  public static String digestOf(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** {@code body.policies}, or an empty map: a change to it needs the "policy" threshold. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> policies() {
    return body.get("policies") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** True when the snapshot may no longer be applied at {@code now} (expiry is exclusive). */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** Parses a config duration such as {@code 10m} or {@code 500ms}. @throws IllegalArgumentException otherwise */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("must be a duration such as 500ms, 30s, 10m, 1h or 1d");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static DegradedMode degradedMode(Map<String, Object> body) {
    if (!(body.get("degradedMode") instanceof Map<?, ?> mode)) {
      throw new ConfigDocumentException("body.degradedMode", "is required and must be an object");
    }
    DegradedPolicy policy;
    try {
      policy = DegradedPolicy.fromWireName(mode.get("policy") instanceof String s ? s : "");
    } catch (IllegalArgumentException e) {
      throw new ConfigDocumentException("body.degradedMode.policy", e.getMessage());
    }
    if (mode.get("grace") == null && policy != DegradedPolicy.CONTINUE_CACHED) {
      return new DegradedMode(policy, Duration.ZERO);
    }
    try {
      return new DegradedMode(policy, parseDuration(mode.get("grace") instanceof String s ? s : null));
    } catch (IllegalArgumentException e) {
      throw new ConfigDocumentException("body.degradedMode.grace", e.getMessage());
    }
  }

  private static Object freeze(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put((String) k, freeze(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l.size());
      l.forEach(v -> copy.add(freeze(v)));
      return Collections.unmodifiableList(copy);
    }
    return value;  // String, Double, Boolean or null: immutable
  }

  private static String string(Map<?, ?> doc, String field) {
    if (!(doc.get(field) instanceof String s)) {
      throw new ConfigDocumentException(field, "is required and must be a string");
    }
    return s;
  }

  private static Instant instant(Map<?, ?> doc, String field) {
    String text = string(doc, field);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigDocumentException(field, "must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
    }
  }

  @Override
  public String toString() {
    // Bodies may carry hostnames and commands: name the version, never dump the document.
    return "ConfigSnapshot[" + scope + " v" + version + " " + digest + "]";
  }
}

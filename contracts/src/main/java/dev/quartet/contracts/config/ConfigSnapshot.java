package dev.quartet.contracts.config;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.JsonParser;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

/**
 * One config version read from the exact signed bytes (RFC 8785 canonical JSON): scope, version,
 * parent digest, issued-at, expires-at and the body, kept deeply immutable. Any party that follows
 * config parses it itself with this class; its digest is the lowercase hex SHA-256 of the bytes.
 */
public record ConfigSnapshot(ConfigScope scope, long version, String parent, Instant issuedAt, Instant expiresAt,
                             Map<String, Object> body, String digest) {
  /** DSSE payloadType of a configuration snapshot (spec "Trust and configuration"). */
  public static final String PAYLOAD_TYPE = "application/vnd.quartet.config+json";
  private static final Set<String> FIELDS = Set.of("scope", "version", "parent", "issuedAt", "expiresAt", "body");
  // JSON numbers are binary64: beyond 2^53 a version would no longer be exact.
  private static final double MAX_VERSION = 9_007_199_254_740_991d;

  /** @throws ConfigDocumentException if the chain fields are inconsistent */
  public ConfigSnapshot {
    if (version < 1) {
      throw new ConfigDocumentException("version", "must be at least 1, was " + version);
    }
    if (parent == null || (!parent.isEmpty() && !parent.matches("[0-9a-f]{64}"))) {
      throw new ConfigDocumentException("parent", "must be empty or 64 lowercase hex digits");
    }
    if ((version == 1) != parent.isEmpty()) {
      throw new ConfigDocumentException("parent", "must be empty for version 1 and only for version 1");
    }
    if (scope == null || expiresAt == null || body == null || digest == null) {
      throw new ConfigDocumentException("$", "scope, expiresAt, body and digest are required");
    }
  }

  /**
   * Reads a snapshot from the bytes that were signed.
   *
   * @throws ConfigDocumentException naming the field when the document is malformed or not canonical
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
    // Every party must compute the same digest from the same document.
    if (!Arrays.equals(payload, CanonicalJson.serialize(doc))) {
      throw new ConfigDocumentException("$", "payload is not RFC 8785 canonical JSON");
    }
    for (Object key : doc.keySet()) {
      if (!FIELDS.contains(key)) {
        throw new ConfigDocumentException(String.valueOf(key), "unknown top-level field; allowed: " + FIELDS);
      }
    }
    ConfigScope scope;
    try {
      scope = ConfigScope.parse(string(doc, "scope"));
    } catch (IllegalArgumentException e) {
      throw new ConfigDocumentException("scope", e.getMessage());
    }
    if (!(doc.get("version") instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || n.doubleValue() < 1 || n.doubleValue() > MAX_VERSION) {
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
    return new ConfigSnapshot(scope, (long) n.doubleValue(), parent == null ? "" : (String) parent, issuedAt,
        instant(doc, "expiresAt"), frozen, digestOf(payload));
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

  /** {@code scope@vN#digest-prefix}: how evidence and logs name this version without its content. */
  public String reference() {
    return scope + "@v" + version + "#" + digest.substring(0, 12);
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
    return value;  // String, Number, Boolean or null: immutable
  }

  private static String string(Map<?, ?> doc, String field) {
    if (!(doc.get(field) instanceof String s)) {
      throw new ConfigDocumentException(field, "is required and must be a string");
    }
    return s;
  }

  private static Instant instant(Map<?, ?> doc, String field) {
    try {
      return Instant.parse(string(doc, field));
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

package dev.quartet.control.domain;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.JsonParser;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * One signed configuration version: the document inside a DSSE envelope. Its digest is the
 * lowercase hex SHA-256 of its RFC 8785 canonical bytes; the next version names it as parent.
 */
public record ConfigSnapshot(ConfigScope scope, long version, String parent, Instant issuedAt,
                             Instant expiresAt, Map<String, Object> body, String digest) {
  /** DSSE payloadType of a configuration snapshot (spec: "Trust and configuration"). */
  public static final String PAYLOAD_TYPE = "application/vnd.quartet.config+json";
  private static final Set<String> FIELDS = Set.of("scope", "version", "parent", "issuedAt", "expiresAt", "body");

  public ConfigSnapshot {
    if (version < 1) {
      throw new ConfigDocumentException("version", "must be at least 1, was " + version);
    }
    if (!parent.isEmpty() && !parent.matches("[0-9a-f]{64}")) {
      throw new ConfigDocumentException("parent", "must be empty or 64 lowercase hex digits");
    }
    if (version == 1 && !parent.isEmpty()) {
      throw new ConfigDocumentException("parent", "must be empty for version 1");
    }
    body = Map.copyOf(body);
  }

  /**
   * Reads a snapshot from the exact bytes that were signed, which must be RFC 8785 canonical JSON
   * so that every party computes the same digest.
   *
   * @throws ConfigDocumentException naming the field when the document is malformed
   */
  public static ConfigSnapshot fromSignedPayload(byte[] payload) {
    return read(payload, true);
  }

  /**
   * Reads a snapshot the control plane accepted earlier (a stored row): the chain fields are
   * checked as always, but the body is not re-validated against a schema that may since have
   * grown stricter — what was accepted stays readable.
   */
  public static ConfigSnapshot fromAcceptedPayload(byte[] payload) {
    return read(payload, false);
  }

  private static ConfigSnapshot read(byte[] payload, boolean validateBody) {
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
        throw new ConfigDocumentException(key.toString(), "unknown top-level field; allowed: " + FIELDS);
      }
    }
    ConfigScope scope;
    try {
      scope = ConfigScope.parse(string(doc, "scope"));
    } catch (IllegalArgumentException e) {
      throw new ConfigDocumentException("scope", e.getMessage());
    }
    Object version = doc.get("version");
    if (!(version instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ConfigDocumentException("version", "must be a whole number");
    }
    Object parent = doc.get("parent");
    if (parent != null && !(parent instanceof String)) {
      throw new ConfigDocumentException("parent", "must be a string");
    }
    Instant issuedAt = doc.containsKey("issuedAt") ? instant(doc, "issuedAt") : null;
    Object body = doc.get("body");
    if (!(body instanceof Map<?, ?> bodyMap)) {
      throw new ConfigDocumentException("body", "must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typedBody = (Map<String, Object>) bodyMap;
    if (validateBody) {
      ConfigBodySchema.validate(typedBody);
    }
    return new ConfigSnapshot(scope, n.longValue(), parent == null ? "" : (String) parent, issuedAt,
        instant(doc, "expiresAt"), typedBody, digestOf(payload));
  }

  /** Lowercase hex SHA-256 of canonical bytes. */
  public static String digestOf(byte[] canonical) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The policies section of the body, or an empty map. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> policies() {
    Object p = body.get("policies");
    return p instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String string(Map<?, ?> doc, String field) {
    Object v = doc.get(field);
    if (!(v instanceof String s)) {
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

  /** Canonical bytes of this document, for tests and for signing tools. */
  public static byte[] canonical(Map<String, Object> document) {
    return CanonicalJson.serialize(document);
  }

  @Override
  public String toString() {
    return "ConfigSnapshot[" + scope + " v" + version + " " + digest + "]";
  }
}

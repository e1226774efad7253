package dev.quartet.contracts.trust;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON form of a {@link TrustRoot}: {@code {"adminKeys":{keyid:b64},"checkpointKeys":{…},
 * "defaultThreshold":n,"expires":"…Z","leaseKeys":{…},"thresholds":{scope:n},"version":n}}.
 * Reading is strict: every field required, none unknown, each keyid must be its key's SHA-256.
 */
final class TrustRootJson {
  private static final Set<String> FIELDS = Set.of("version", "expires", "adminKeys", "defaultThreshold",
      "thresholds", "leaseKeys", "checkpointKeys");

  private TrustRootJson() {}

  static byte[] write(TrustRoot r) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", r.version());
    doc.put("expires", r.expires().toString());
    doc.put("adminKeys", keys(r.adminKeys()));
    doc.put("defaultThreshold", r.defaultThreshold());
    doc.put("thresholds", new TreeMap<String, Object>(r.thresholds()));
    doc.put("leaseKeys", keys(r.leaseKeys()));
    doc.put("checkpointKeys", keys(r.checkpointKeys()));
    return CanonicalJson.serialize(doc);
  }

  static TrustRoot read(byte[] json) {
    Map<String, Object> doc = object(JsonParser.parse(json), "trust root");
    for (String field : doc.keySet()) {
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException("trust root: unknown field " + Dsse.shown(field));
      }
    }
    for (String field : FIELDS) {
      if (!doc.containsKey(field)) {
        throw new IllegalArgumentException("trust root: missing field " + field);
      }
    }
    Map<String, Integer> thresholds = new TreeMap<>();
    object(doc.get("thresholds"), "thresholds").forEach((scope, n) -> thresholds.put(scope, integer(n, "thresholds." + Dsse.shown(scope))));
    return new TrustRoot(integer(doc.get("version"), "version"), instant(doc.get("expires")),
        keys(doc.get("adminKeys"), "adminKeys"), integer(doc.get("defaultThreshold"), "defaultThreshold"),
        thresholds, keys(doc.get("leaseKeys"), "leaseKeys"), keys(doc.get("checkpointKeys"), "checkpointKeys"));
  }

  private static Map<String, Object> keys(Set<Ed25519PublicKey> keys) {
    Map<String, Object> m = new TreeMap<>();
    keys.forEach(k -> m.put(k.keyId().hex(), k.base64()));
    return m;
  }

  private static Set<Ed25519PublicKey> keys(Object v, String field) {
    Set<Ed25519PublicKey> keys = new HashSet<>();
    for (Map.Entry<String, Object> e : object(v, field).entrySet()) {
      if (!(e.getValue() instanceof String b64)) {
        throw new IllegalArgumentException("trust root: " + field + " values must be base64 strings");
      }
      Ed25519PublicKey key;
      try {
        key = Ed25519PublicKey.fromBase64(b64);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("trust root: " + field + "." + Dsse.shown(e.getKey()) + " is not a valid Ed25519 public key", ex);
      }
      if (!key.keyId().hex().equals(e.getKey())) {
        throw new IllegalArgumentException("trust root: " + field + " key id " + Dsse.shown(e.getKey()) + " is not the SHA-256 of its key");
      }
      keys.add(key);
    }
    return keys;
  }

  private static Instant instant(Object v) {
    if (v instanceof String s) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        // fall through to the one message below
      }
    }
    throw new IllegalArgumentException("trust root: expires must be an ISO-8601 UTC instant such as 2027-01-01T00:00:00Z");
  }

  private static int integer(Object v, String field) {
    if (v instanceof Double d && d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
      return d.intValue();
    }
    throw new IllegalArgumentException("trust root: " + field + " must be an integer");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object v, String what) {
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("trust root: " + what + " must be a JSON object");
    }
    return (Map<String, Object>) v;
  }
}

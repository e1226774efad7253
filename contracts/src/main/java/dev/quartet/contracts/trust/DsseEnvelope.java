package dev.quartet.contracts.trust;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DSSE v1 envelope in its standard JSON form
 * {@code {"payload":b64,"payloadType":s,"signatures":[{"keyid":s,"sig":b64}]}} (secure-systems-lab/dsse
 * "envelope.md"), so any DSSE implementation can produce or check one. Unknown envelope fields are
 * ignored on input: nothing outside the payload and its type is signed.
 */
public record DsseEnvelope(String payloadType, byte[] payload, List<DsseSignature> signatures) {
  /** Most signatures read from untrusted input; more is a malformed envelope, not a slow one. */
  public static final int MAX_SIGNATURES = 16;
  /** Largest envelope JSON accepted by {@link #fromJson(byte[])}. */
  public static final int MAX_JSON_BYTES = 8 * 1024 * 1024;

  /** @throws IllegalArgumentException if a part is missing or {@code payloadType} is empty */
  public DsseEnvelope {
    if (payloadType == null || payloadType.isEmpty()) {
      throw new IllegalArgumentException("DsseEnvelope: payloadType must not be empty");
    }
    if (payload == null || signatures == null) {
      throw new IllegalArgumentException("DsseEnvelope: payload and signatures are required");
    }
    payload = payload.clone();
    signatures = List.copyOf(signatures);
  }

  /** An envelope with no signatures yet. */
  public static DsseEnvelope unsigned(String payloadType, byte[] payload) {
    return new DsseEnvelope(payloadType, payload, List.of());
  }

  /** A copy of the payload bytes. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The same envelope with {@code signature} added, replacing an earlier one by the same non-empty keyid. */
  public DsseEnvelope withSignature(DsseSignature signature) {
    List<DsseSignature> next = new ArrayList<>();
    for (DsseSignature s : signatures) {
      if (signature.keyid().isEmpty() || !s.keyid().equals(signature.keyid())) {
        next.add(s);
      }
    }
    next.add(signature);
    return new DsseEnvelope(payloadType, payload, next);
  }

  /** The envelope as canonical JSON (RFC 8785), standard base64 with padding; an empty keyid is omitted. */
  public byte[] toJson() {
    List<Object> sigs = new ArrayList<>();
    for (DsseSignature s : signatures) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (!s.keyid().isEmpty()) {
        m.put("keyid", s.keyid());
      }
      m.put("sig", Base64.getEncoder().encodeToString(s.sig()));
      sigs.add(m);
    }
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("payload", Base64.getEncoder().encodeToString(payload));
    env.put("payloadType", payloadType);
    env.put("signatures", sigs);
    return CanonicalJson.serialize(env);
  }

  /** {@link #toJson()} plus a final newline: the content of an envelope file such as {@code trust.json}. */
  public byte[] toJsonFile() {
    byte[] json = toJson();
    byte[] out = Arrays.copyOf(json, json.length + 1);
    out[json.length] = '\n';
    return out;
  }

  /**
   * Parses the standard JSON form; base64 may be standard or URL-safe, padded or not (as DSSE allows).
   *
   * @throws IllegalArgumentException if it is not a well-formed envelope or carries more than
   *     {@link #MAX_SIGNATURES} signatures
   */
  public static DsseEnvelope fromJson(byte[] json) {
    if (json.length > MAX_JSON_BYTES) {
      throw new IllegalArgumentException("DSSE envelope: larger than " + MAX_JSON_BYTES + " bytes");
    }
    Map<String, Object> env = object(JsonParser.parse(json), "envelope");
    String type = string(env.get("payloadType"), "payloadType");
    byte[] payload = base64(string(env.get("payload"), "payload"), "payload");
    if (!(env.get("signatures") instanceof List<?> list)) {
      throw new IllegalArgumentException("DSSE envelope: signatures must be an array");
    }
    if (list.size() > MAX_SIGNATURES) {
      throw new IllegalArgumentException("DSSE envelope: " + list.size() + " signatures, at most " + MAX_SIGNATURES + " accepted");
    }
    List<DsseSignature> sigs = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Map<String, Object> s = object(list.get(i), "signatures[" + i + "]");
      Object keyid = s.get("keyid");
      String id = keyid == null ? "" : string(keyid, "signatures[" + i + "].keyid");
      sigs.add(new DsseSignature(id, base64(string(s.get("sig"), "signatures[" + i + "].sig"), "signatures[" + i + "].sig")));
    }
    return new DsseEnvelope(type, payload, sigs);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object v, String what) {
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("DSSE envelope: " + what + " must be a JSON object");
    }
    return (Map<String, Object>) v;
  }

  private static String string(Object v, String field) {
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("DSSE envelope: " + field + " must be a string");
    }
    return s;
  }

  private static byte[] base64(String s, String field) {
    try {
      boolean urlSafe = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("DSSE envelope: " + field + " is not base64");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DsseEnvelope other && payloadType.equals(other.payloadType)
        && Arrays.equals(payload, other.payload) && signatures.equals(other.signatures);
  }

  @Override
  public int hashCode() {
    return (payloadType.hashCode() * 31 + Arrays.hashCode(payload)) * 31 + signatures.hashCode();
  }

  @Override
  public String toString() {
    // Payloads may be large or sensitive: describe, don't dump (STYLE: never log whole envelopes).
    return "DsseEnvelope[payloadType=" + payloadType + ", payload=" + payload.length + " bytes, signatures="
        + signatures.stream().map(DsseSignature::keyid).toList() + "]";
  }
}

package dev.quartet.data.kafka;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * Kafka headers the data plane sets on its records. They carry references and digests, never
 * content, so tools can route and verify records without decoding values.
 */
public final class PayloadHeaders {
  /** Lowercase hex SHA-256 of the payload's plaintext. */
  public static final String SHA256 = "quartet.payload.sha256";
  /** The payload's classification. */
  public static final String CLASSIFICATION = "quartet.payload.classification";
  /** How an inline record's value is stored: {@link #FORMAT_RAW} or {@link #FORMAT_ENVELOPE}. */
  public static final String FORMAT = "quartet.payload.format";
  /** Id of the key-encryption key, on encrypted payloads. */
  public static final String KEY_ID = "quartet.payload.key-id";
  /** Location of the stored bytes (inline record or blob URI), on payload events. */
  public static final String LOCATION = "quartet.payload.location";
  /** On {@code PayloadStored}: the owning tenant, absent when the payload belongs to no tenant. */
  public static final String TENANT = "quartet.payload.tenant";
  /** The plaintext payload bytes as uploaded. */
  public static final String FORMAT_RAW = "raw";
  /** A Quartet payload envelope (AES-256-GCM, chunked; see PayloadEnvelope). */
  public static final String FORMAT_ENVELOPE = "qpe1";

  private PayloadHeaders() {}

  static void put(Headers headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The last value of header {@code name}, or null. */
  public static String get(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}

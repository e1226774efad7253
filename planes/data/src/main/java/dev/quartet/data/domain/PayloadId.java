package dev.quartet.data.domain;

import java.util.UUID;

/**
 * Identity of one stored payload. Its reference URI is {@code quartet:payload/<uuid>}: ids, not
 * content digests, because the same bytes may be stored twice under different classifications.
 */
public record PayloadId(UUID uuid) {
  /** Scheme and path prefix of every payload reference URI. */
  public static final String REF_PREFIX = "quartet:payload/";

  public PayloadId {
    if (uuid == null) {
      throw new IllegalArgumentException("PayloadId: uuid required");
    }
  }

  /** A fresh random id. */
  public static PayloadId random() {
    return new PayloadId(UUID.randomUUID());
  }

  /**
   * Parses a bare id or a full reference URI.
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static PayloadId parse(String idOrRef) {
    String id = idOrRef != null && idOrRef.startsWith(REF_PREFIX) ? idOrRef.substring(REF_PREFIX.length()) : idOrRef;
    // Canonical lowercase form only, so one payload has exactly one spelling in URLs and keys.
    if (id == null || !id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
      throw new IllegalArgumentException("payload id must be a lowercase UUID or " + REF_PREFIX + "<uuid>, was " + idOrRef);
    }
    return new PayloadId(UUID.fromString(id));
  }

  /** The reference URI, e.g. {@code quartet:payload/0b6e…}. */
  public String ref() {
    return REF_PREFIX + uuid;
  }

  @Override
  public String toString() {
    return uuid.toString();
  }
}

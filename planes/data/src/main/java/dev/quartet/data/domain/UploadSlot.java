package dev.quartet.data.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A one-time permission to upload one payload through a signed URL ({@code PUT
 * /v1/blobs/slots/<id>}), with the constraints its issuer's clearance was checked against.
 *
 * @param tenant owner of the payload it will store; null: no tenant
 * @param expectedSha256 the digest the upload must have; null: any
 * @param maxBytes the largest upload it takes
 * @param issuedBy the principal that asked for it; the stored payload names it
 */
public record UploadSlot(UUID id, Classification classification, String route, String tenant, Sha256 expectedSha256,
                         long maxBytes, String issuedBy, Instant expiresAt) implements SignedResource {
  /** Name of the slot's size limit, as answered and recorded. */
  public static final String LIMIT_NAME = "slot-max-bytes";

  public UploadSlot {
    if (id == null || classification == null || issuedBy == null || issuedBy.isBlank() || expiresAt == null) {
      throw new IllegalArgumentException("UploadSlot: id, classification, issuedBy and expiresAt required");
    }
    Routes.requireValid(route);
    Tenants.requireValidOrNull(tenant);
    if (maxBytes < 0) {
      throw new IllegalArgumentException("UploadSlot: max bytes must be >= 0, was " + maxBytes);
    }
  }

  @Override
  public String method() {
    return "PUT";
  }

  @Override
  public String path() {
    return "/v1/blobs/slots/" + id;
  }

  @Override
  public String subject() {
    // Every constraint is signed, so a slot whose stored row was altered no longer accepts its URL.
    return "slot;" + id + ";classification=" + classification + ";route=" + route + ";tenant=" + (tenant == null ? "" : tenant)
        + ";sha256=" + (expectedSha256 == null ? "" : expectedSha256.hex()) + ";max-bytes=" + maxBytes
        + ";issued-by=" + issuedBy + ";expires=" + expiresAt.getEpochSecond();
  }
}

package dev.quartet.data.domain;

/**
 * What an upload declares before its body is read.
 *
 * @param declaredLength Content-Length, or -1 when the body is streamed without one
 * @param expectedSha256 the digest the caller says the body has; null when not given
 * @param tenant the tenant the caller asks to store it for; null: the caller's own (none when unscoped)
 */
public record Upload(Classification classification, String route, long declaredLength, Sha256 expectedSha256,
                     String tenant) {
  public Upload {
    if (classification == null) {
      throw new IllegalArgumentException("Upload: classification required");
    }
    Routes.requireValid(route);
    if (declaredLength < -1) {
      throw new IllegalArgumentException("Upload: declared length must be >= 0 or -1 (unknown)");
    }
    Tenants.requireValidOrNull(tenant);
  }
}

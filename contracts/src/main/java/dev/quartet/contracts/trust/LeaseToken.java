package dev.quartet.contracts.trust;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A short-lived statement by the control plane's online lease key: "the head of {@code scope} is
 * {@code headVersion} with {@code headDigest}, valid until {@code expiresAt}". A worker's config
 * lease lasts until its last valid token expires. The signature is Ed25519 over the DSSE PAE of
 * the token's RFC 8785 canonical JSON, so any DSSE tool can check it.
 */
public record LeaseToken(String scope, long headVersion, String headDigest, Instant issuedAt, Instant expiresAt,
                         KeyId keyId, byte[] signature) {
  /** DSSE payloadType the signature is made over. */
  public static final String PAYLOAD_TYPE = "application/vnd.quartet.lease+json";

  public LeaseToken {
    Objects.requireNonNull(scope, "LeaseToken: scope");
    Objects.requireNonNull(keyId, "LeaseToken: keyId");
    if (headVersion < 1 || !headDigest.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("LeaseToken: head must be a version >= 1 with a 64-hex digest");
    }
    // Millisecond precision: the token travels as Avro timestamp-millis and must verify after the trip.
    issuedAt = issuedAt.truncatedTo(ChronoUnit.MILLIS);
    expiresAt = expiresAt.truncatedTo(ChronoUnit.MILLIS);
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("LeaseToken: expiresAt must be after issuedAt");
    }
    signature = signature.clone();
  }

  /** Signs a token for {@code scope}'s head with the online lease key. */
  public static LeaseToken sign(String scope, long headVersion, String headDigest, Instant issuedAt, Instant expiresAt,
                                AdminKeyPair leaseKey) {
    LeaseToken unsigned = new LeaseToken(scope, headVersion, headDigest, issuedAt, expiresAt, leaseKey.keyId(), new byte[0]);
    byte[] sig = leaseKey.sign(Dsse.pae(PAYLOAD_TYPE, unsigned.signedPayload()));
    return new LeaseToken(scope, headVersion, headDigest, issuedAt, expiresAt, leaseKey.keyId(), sig);
  }

  /**
   * Checks the token against the lease keys of {@code root} at {@code now}: signed by a listed
   * lease key, not expired, not issued in the future beyond {@code maxSkew}.
   */
  public Verification verify(TrustRoot root, Instant now, java.time.Duration maxSkew) {
    Set<Ed25519PublicKey> keys = root.leaseKeys();
    Ed25519PublicKey key = keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst().orElse(null);
    if (key == null) {
      return new Verification.Failed("key", "lease key " + keyId.hex() + " is not a lease key of trust root v" + root.version());
    }
    if (!key.verifies(Dsse.pae(PAYLOAD_TYPE, signedPayload()), signature)) {
      return new Verification.Failed("signature", "lease token signature does not verify");
    }
    if (!now.isBefore(expiresAt)) {
      return new Verification.Failed("expiry", "lease token expired at " + expiresAt);
    }
    if (issuedAt.isAfter(now.plus(maxSkew))) {
      return new Verification.Failed("issuedAt", "lease token issued in the future at " + issuedAt);
    }
    return new Verification.Verified(Set.of(keyId));
  }

  /** The canonical JSON the signature covers. */
  public byte[] signedPayload() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("scope", scope);
    doc.put("headVersion", headVersion);
    doc.put("headDigest", headDigest);
    doc.put("issuedAt", issuedAt.toString());
    doc.put("expiresAt", expiresAt.toString());
    return CanonicalJson.serialize(doc);
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LeaseToken t && java.util.Arrays.equals(signedPayload(), t.signedPayload())
        && keyId.equals(t.keyId) && java.util.Arrays.equals(signature, t.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scope, headVersion, headDigest, issuedAt, expiresAt, keyId, java.util.Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "LeaseToken[" + scope + " v" + headVersion + " until " + expiresAt + " by " + keyId.hex() + "]";
  }
}

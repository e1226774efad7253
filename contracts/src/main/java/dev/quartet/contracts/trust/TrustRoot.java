package dev.quartet.contracts.trust;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The trust root (spec "Trust and configuration"): admin keys, signature thresholds per scope,
 * the control plane's lease key(s), the evidence checkpoint key(s), a version and an expiry.
 * Serialized as RFC 8785 canonical JSON and signed as a DSSE envelope of type {@link #PAYLOAD_TYPE}.
 *
 * <p>Invariants: version &ge; 1; at least one admin key; every threshold between 1 and the number
 * of admin keys (a root that can never be satisfied would brick rotation); the privileged scopes
 * {@link #PRIVILEGED_SCOPES} have explicit thresholds; online keys (lease, checkpoint) are never
 * admin keys.
 */
public record TrustRoot(int version, Instant expires, Set<Ed25519PublicKey> adminKeys, int defaultThreshold,
                        Map<String, Integer> thresholds, Set<Ed25519PublicKey> leaseKeys,
                        Set<Ed25519PublicKey> checkpointKeys) {
  /** DSSE payloadType of a signed trust root. */
  public static final String PAYLOAD_TYPE = "application/vnd.quartet.trust+json";
  /** The scope whose threshold governs signing trust roots themselves. */
  public static final String TRUST_SCOPE = "trust";
  /** Scopes whose changes need more than one admin by default. */
  public static final Set<String> PRIVILEGED_SCOPES = Set.of(TRUST_SCOPE, "policy", "egress");
  /** Privileged threshold of a new root, capped by the number of admins. */
  public static final int DEFAULT_PRIVILEGED_THRESHOLD = 2;

  /** @throws IllegalArgumentException if an invariant (see class doc) does not hold */
  public TrustRoot {
    if (version < 1) {
      throw new IllegalArgumentException("TrustRoot: version must be at least 1, was " + version);
    }
    Objects.requireNonNull(expires, "TrustRoot: expires");
    adminKeys = Set.copyOf(Objects.requireNonNull(adminKeys, "TrustRoot: adminKeys"));
    leaseKeys = Set.copyOf(Objects.requireNonNull(leaseKeys, "TrustRoot: leaseKeys"));
    checkpointKeys = Set.copyOf(Objects.requireNonNull(checkpointKeys, "TrustRoot: checkpointKeys"));
    thresholds = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(thresholds, "TrustRoot: thresholds")));
    if (adminKeys.isEmpty()) {
      throw new IllegalArgumentException("TrustRoot: at least one admin key");
    }
    checkThreshold("default", defaultThreshold, adminKeys.size());
    for (Map.Entry<String, Integer> e : thresholds.entrySet()) {
      if (e.getKey().isEmpty()) {
        throw new IllegalArgumentException("TrustRoot: threshold scope names must not be empty");
      }
      checkThreshold(e.getKey(), e.getValue() == null ? 0 : e.getValue(), adminKeys.size());
    }
    for (String scope : PRIVILEGED_SCOPES) {
      if (!thresholds.containsKey(scope)) {
        throw new IllegalArgumentException("TrustRoot: privileged scope '" + scope + "' needs an explicit threshold");
      }
    }
    Set<Ed25519PublicKey> online = new HashSet<>(leaseKeys);
    online.addAll(checkpointKeys);
    online.retainAll(adminKeys);
    if (!online.isEmpty()) {
      throw new IllegalArgumentException("TrustRoot: an admin key must not also be an online lease or checkpoint key");
    }
  }

  /**
   * A version-1 root: threshold 1 for ordinary scopes and {@code privilegedThreshold} for the
   * privileged ones; no lease or checkpoint keys yet.
   *
   * @throws IllegalArgumentException if {@code privilegedThreshold} is not in 1..admins
   */
  public static TrustRoot create(Collection<Ed25519PublicKey> admins, int privilegedThreshold, Instant expires) {
    Map<String, Integer> t = new TreeMap<>();
    PRIVILEGED_SCOPES.forEach(s -> t.put(s, privilegedThreshold));
    return new TrustRoot(1, expires, Set.copyOf(admins), 1, t, Set.of(), Set.of());
  }

  /** The privileged threshold a root with {@code admins} admin keys gets when none is asked for: min(2, admins). */
  public static int defaultPrivilegedThreshold(int admins) {
    return Math.min(DEFAULT_PRIVILEGED_THRESHOLD, admins);
  }

  /** Signatures by distinct admin keys that {@code scope} needs. */
  public int threshold(String scope) {
    return thresholds.getOrDefault(scope, defaultThreshold);
  }

  /** True when the root may no longer be used at {@code now} (expiry is exclusive). */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expires);
  }

  /** Admin key ids, sorted. */
  public Set<KeyId> adminKeyIds() {
    Set<KeyId> ids = new TreeSet<>();
    adminKeys.forEach(k -> ids.add(k.keyId()));
    return ids;
  }

  /** The canonical JSON bytes that get signed. */
  public byte[] toCanonicalJson() {
    return TrustRootJson.write(this);
  }

  /** Parses a trust root document (no signature check). @throws IllegalArgumentException if malformed */
  public static TrustRoot fromJson(byte[] json) {
    return TrustRootJson.read(json);
  }

  /** This root as a DSSE envelope signed by each of {@code signers} (no check that they are its admins). */
  public DsseEnvelope signedBy(Collection<AdminKeyPair> signers) {
    DsseEnvelope env = DsseEnvelope.unsigned(PAYLOAD_TYPE, toCanonicalJson());
    for (AdminKeyPair k : signers) {
      env = Dsse.sign(env, k);
    }
    return env;
  }

  /**
   * The root inside {@code envelope}, unverified: use {@link #verifySelfSigned} or
   * {@link #verifyRotation} before trusting it.
   *
   * @throws IllegalArgumentException if the type is wrong or the payload is not a trust root
   */
  public static TrustRoot decode(DsseEnvelope envelope) {
    if (!PAYLOAD_TYPE.equals(envelope.payloadType())) {
      throw new IllegalArgumentException("not a trust root envelope: payloadType " + Dsse.shown(envelope.payloadType()));
    }
    return fromJson(envelope.payload());
  }

  /**
   * Checks a pinned root: signed by the "trust" threshold of its own admin keys and not expired at
   * {@code now}. Trust in it comes from pinning the file; this proves it is intact and current.
   */
  public static Verification verifySelfSigned(DsseEnvelope envelope, Instant now) {
    Verification.Failed malformed = malformed(envelope);
    if (malformed != null) {
      return malformed;
    }
    TrustRoot root = decode(envelope);
    Verification v = Dsse.verify(envelope, PAYLOAD_TYPE, root.adminKeys, root.threshold(TRUST_SCOPE));
    if (!v.isVerified()) {
      return v;
    }
    return root.isExpiredAt(now) ? expired(root, now) : v;
  }

  /**
   * Checks that {@code next} may replace {@code current}: version exactly current + 1, signed by
   * the "trust" threshold of current's admin keys and of next's own, and not expired at {@code now}.
   * An expired {@code current} may still be rotated (else an expired root could never be
   * replaced); the new one must be valid.
   */
  public static Verification verifyRotation(TrustRoot current, DsseEnvelope next, Instant now) {
    Verification.Failed malformed = malformed(next);
    if (malformed != null) {
      return malformed;
    }
    TrustRoot candidate = decode(next);
    Verification byCurrent = Dsse.verify(next, PAYLOAD_TYPE, current.adminKeys, current.threshold(TRUST_SCOPE));
    if (byCurrent instanceof Verification.Failed f) {
      return new Verification.Failed("current." + f.step(), f.reason());
    }
    Verification byNext = Dsse.verify(next, PAYLOAD_TYPE, candidate.adminKeys, candidate.threshold(TRUST_SCOPE));
    if (byNext instanceof Verification.Failed f) {
      return new Verification.Failed("next." + f.step(), f.reason());
    }
    if ((long) candidate.version != (long) current.version + 1) {
      return new Verification.Failed("version", "expected version " + ((long) current.version + 1) + ", was " + candidate.version);
    }
    if (candidate.isExpiredAt(now)) {
      return expired(candidate, now);
    }
    Set<KeyId> signers = new TreeSet<>(((Verification.Verified) byCurrent).signers());
    signers.addAll(((Verification.Verified) byNext).signers());
    return new Verification.Verified(signers);
  }

  /** Why {@code envelope} holds no trust root (wrong type, unparsable payload), or null if it holds one. */
  private static Verification.Failed malformed(DsseEnvelope envelope) {
    if (!PAYLOAD_TYPE.equals(envelope.payloadType())) {
      return new Verification.Failed("payloadType", "expected " + PAYLOAD_TYPE + ", was " + Dsse.shown(envelope.payloadType()));
    }
    try {
      fromJson(envelope.payload());
      return null;
    } catch (IllegalArgumentException e) {
      return new Verification.Failed("payload", e.getMessage());
    }
  }

  private static Verification expired(TrustRoot root, Instant now) {
    return new Verification.Failed("expires", "trust root version " + root.version + " expired at " + root.expires + " (now " + now + ")");
  }

  private static void checkThreshold(String scope, int n, int admins) {
    if (n < 1 || n > admins) {
      throw new IllegalArgumentException("TrustRoot: threshold for '" + scope + "' must be between 1 and the "
          + admins + " admin key(s), was " + n);
    }
  }
}

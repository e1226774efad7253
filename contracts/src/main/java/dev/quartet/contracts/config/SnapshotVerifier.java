package dev.quartet.contracts.config;

import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.contracts.trust.Verification;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Checks one received config snapshot against a pinned trust root and the chain verified so far,
 * for any party that follows config (a plane never takes another plane's word). Pure. Nothing read
 * from the document is trusted beyond naming it until its signatures verify. Expiry is not a
 * refusal here: an expired version may still link verified versions; whether it may be applied is
 * the follower's decision ({@link ConfigSnapshot#isExpiredAt}).
 *
 * <p>The same rules live in the control plane ({@code PublishRules}) and the execution plane
 * ({@code SnapshotVerifier}); this is the shared version new followers use.
 */
public final class SnapshotVerifier {
  // Threshold scopes of the trust root that guard policy and egress changes (TrustRoot.PRIVILEGED_SCOPES).
  private static final String POLICY_SCOPE = "policy";
  private static final String EGRESS_SCOPE = "egress";

  private SnapshotVerifier() {}

  /**
   * Decides whether {@code envelopeJson} is the next link of {@code chain}, a replay of its tip, or refused.
   *
   * @param claimedVersion the version the carrying record claims (unsigned), named only when the
   *     document itself cannot be read
   */
  public static SnapshotCheck check(ConfigChain chain, ConfigTrust trust, byte[] envelopeJson, long claimedVersion, Instant now) {
    TrustRoot root = trust.root();
    if (envelopeJson.length > trust.maxEnvelopeBytes()) {
      return refused(claimedVersion, ConfigSnapshot.digestOf(envelopeJson), SnapshotCheck.Reason.MALFORMED,
          "envelope of " + envelopeJson.length + " bytes is over the limit of " + trust.maxEnvelopeBytes());
    }
    if (root.isExpiredAt(now)) {
      return refused(claimedVersion, ConfigSnapshot.digestOf(envelopeJson), SnapshotCheck.Reason.TRUST_EXPIRED,
          "the pinned trust root v" + root.version() + " expired at " + root.expires());
    }
    DsseEnvelope envelope;
    try {
      envelope = DsseEnvelope.fromJson(envelopeJson);
    } catch (IllegalArgumentException e) {
      return refused(claimedVersion, ConfigSnapshot.digestOf(envelopeJson), SnapshotCheck.Reason.MALFORMED, e.getMessage());
    }
    byte[] payload = envelope.payload();
    String digest = ConfigSnapshot.digestOf(payload);
    if (!ConfigSnapshot.PAYLOAD_TYPE.equals(envelope.payloadType())) {
      return refused(claimedVersion, digest, SnapshotCheck.Reason.MALFORMED, "payloadType must be " + ConfigSnapshot.PAYLOAD_TYPE);
    }
    ConfigSnapshot snapshot;
    try {
      snapshot = ConfigSnapshot.fromSignedPayload(payload);
    } catch (ConfigDocumentException e) {
      return refused(claimedVersion, digest, SnapshotCheck.Reason.MALFORMED, e.getMessage());
    }
    long version = snapshot.version();
    if (!snapshot.scope().equals(chain.scope())) {
      return refused(version, digest, SnapshotCheck.Reason.WRONG_SCOPE,
          "signed for scope " + snapshot.scope() + ", this chain follows " + chain.scope());
    }
    ConfigSnapshot tip = chain.tipOrNull();
    if (tip != null && tip.version() == version && tip.digest().equals(digest)) {
      return new SnapshotCheck.Replayed(version, digest);
    }
    long expected = tip == null ? 1 : tip.version() + 1;
    int threshold = version == expected ? requiredThreshold(root, tip, snapshot) : root.threshold(chain.scope().toString());
    Verification v = Dsse.verify(envelope, ConfigSnapshot.PAYLOAD_TYPE, root.adminKeys(), threshold);
    if (v instanceof Verification.Failed f) {
      return refused(version, digest, SnapshotCheck.Reason.UNDER_SIGNED, f.reason() + " (threshold " + threshold + " for this change)");
    }
    if (version < expected) {
      return refused(version, digest, SnapshotCheck.Reason.ROLLBACK,
          "version " + version + " is not newer than verified version " + (expected - 1));
    }
    if (version > expected) {
      return refused(version, digest, SnapshotCheck.Reason.GAP,
          "version " + version + " skips unseen versions; the next expected is " + expected);
    }
    String parent = tip == null ? "" : tip.digest();
    if (!snapshot.parent().equals(parent)) {
      return refused(version, digest, SnapshotCheck.Reason.BROKEN_CHAIN,
          "parent " + shown(snapshot.parent()) + " is not version " + (expected - 1) + "'s digest " + shown(parent));
    }
    if (snapshot.issuedAt() != null && snapshot.issuedAt().isAfter(now.plus(trust.maxClockSkew()))) {
      return refused(version, digest, SnapshotCheck.Reason.NOT_YET_VALID, "issued at " + snapshot.issuedAt() + ", in the future");
    }
    return new SnapshotCheck.Linked(snapshot);
  }

  /**
   * The scope's threshold, raised to the "policy" threshold when the policies differ from the
   * previous version's and to the "egress" threshold when the egress policy does (a first version
   * that sets them changes them): the control plane's publish rule, re-checked by every follower.
   */
  public static int requiredThreshold(TrustRoot root, ConfigSnapshot previous, ConfigSnapshot next) {
    int threshold = root.threshold(next.scope().toString());
    Map<String, Object> before = previous == null ? Map.of() : previous.policies();
    Map<String, Object> after = next.policies();
    if (!Objects.equals(before, after)) {
      threshold = Math.max(threshold, root.threshold(POLICY_SCOPE));
    }
    if (!Objects.equals(before.get("egress"), after.get("egress"))) {
      threshold = Math.max(threshold, root.threshold(EGRESS_SCOPE));
    }
    return threshold;
  }

  private static SnapshotCheck.Refused refused(long version, String digest, SnapshotCheck.Reason reason, String detail) {
    return new SnapshotCheck.Refused(version, digest, reason, detail);
  }

  private static String shown(String digest) {
    return digest.isEmpty() ? "(empty)" : digest.substring(0, Math.min(12, digest.length())) + "…";
  }
}

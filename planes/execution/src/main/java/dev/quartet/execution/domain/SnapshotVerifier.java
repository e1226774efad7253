package dev.quartet.execution.domain;

import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.contracts.trust.Verification;
import dev.quartet.execution.domain.WorkerConfigEvent.SnapshotIgnored;
import dev.quartet.execution.domain.WorkerConfigEvent.SnapshotLinked;
import dev.quartet.execution.domain.WorkerConfigEvent.SnapshotRefused;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The worker's own check of one received snapshot against its pinned trust root and the chain it
 * has verified so far: it never takes the control plane's word. Nothing read from the document is
 * trusted beyond naming it until its signatures verify. Expiry is not checked here: an expired
 * version may still be a link between verified versions; whether one may be applied is decided
 * when applying ({@link WorkerConfigRules#onTick}).
 */
public final class SnapshotVerifier {
  // Threshold scopes of the trust root that guard policy and egress changes (TrustRoot.PRIVILEGED_SCOPES).
  private static final String POLICY_SCOPE = "policy";
  private static final String EGRESS_SCOPE = "egress";

  private SnapshotVerifier() {}

  /**
   * Decides whether {@code envelopeJson} is the next link after {@code s}'s tip, an exact replay,
   * or refused.
   *
   * @param claimedVersion the version the record claims (unsigned), named in a NACK only when the
   *     document itself cannot be read
   */
  public static WorkerConfigEvent check(WorkerConfigState s, WorkerTrust trust, byte[] envelopeJson, long claimedVersion,
                                        Instant now) {
    TrustRoot root = trust.root();
    if (envelopeJson.length > trust.maxEnvelopeBytes()) {
      return refused(claimedVersion, ConfigSnapshot.digestOf(envelopeJson), RefusalReason.MALFORMED,
          "envelope of " + envelopeJson.length + " bytes is over the limit of " + trust.maxEnvelopeBytes());
    }
    if (root.isExpiredAt(now)) {
      return refused(claimedVersion, ConfigSnapshot.digestOf(envelopeJson), RefusalReason.TRUST_EXPIRED,
          "the pinned trust root v" + root.version() + " expired at " + root.expires());
    }
    DsseEnvelope envelope;
    try {
      envelope = DsseEnvelope.fromJson(envelopeJson);
    } catch (IllegalArgumentException e) {
      return refused(claimedVersion, ConfigSnapshot.digestOf(envelopeJson), RefusalReason.MALFORMED, e.getMessage());
    }
    byte[] payload = envelope.payload();
    String digest = ConfigSnapshot.digestOf(payload);
    if (!ConfigSnapshot.PAYLOAD_TYPE.equals(envelope.payloadType())) {
      return refused(claimedVersion, digest, RefusalReason.MALFORMED, "payloadType must be " + ConfigSnapshot.PAYLOAD_TYPE);
    }
    ConfigSnapshot snapshot;
    try {
      snapshot = ConfigSnapshot.fromSignedPayload(payload);
      RolloutTarget.of(snapshot);  // a rollout no worker can read targets nobody: refuse it like any malformed body
    } catch (ConfigDocumentException e) {
      return refused(claimedVersion, digest, RefusalReason.MALFORMED, e.getMessage());
    }
    long version = snapshot.version();
    if (!snapshot.scope().equals(s.scope())) {
      return refused(version, digest, RefusalReason.WRONG_SCOPE,
          "signed for scope " + snapshot.scope() + ", this worker follows " + s.scope());
    }
    if (digest.equals(s.seen().get(version))) {
      return new SnapshotIgnored(version, digest);  // the very bytes verified before: redelivery, not news
    }
    ConfigSnapshot tip = s.tip().orElse(null);
    long expected = tip == null ? 1 : tip.version() + 1;
    int threshold = version == expected ? requiredThreshold(root, tip, snapshot) : root.threshold(s.scope().toString());
    Verification v = Dsse.verify(envelope, ConfigSnapshot.PAYLOAD_TYPE, root.adminKeys(), threshold);
    if (v instanceof Verification.Failed f) {
      return refused(version, digest, RefusalReason.UNDER_SIGNED, f.reason() + " (threshold " + threshold + " for this change)");
    }
    if (version < expected) {
      return refused(version, digest, RefusalReason.ROLLBACK,
          "version " + version + " is not newer than verified version " + (expected - 1));
    }
    if (version > expected) {
      return refused(version, digest, RefusalReason.GAP,
          "version " + version + " skips unseen versions; the next expected is " + expected);
    }
    String parent = tip == null ? "" : tip.digest();
    if (!snapshot.parent().equals(parent)) {
      return refused(version, digest, RefusalReason.BROKEN_CHAIN,
          "parent " + shown(snapshot.parent()) + " is not version " + (expected - 1) + "'s digest " + shown(parent));
    }
    if (snapshot.issuedAt() != null && snapshot.issuedAt().isAfter(now.plus(trust.maxClockSkew()))) {
      return refused(version, digest, RefusalReason.NOT_YET_VALID, "issued at " + snapshot.issuedAt() + ", in the future");
    }
    return new SnapshotLinked(snapshot);
  }

  /**
   * The scope's threshold, raised to the "policy" threshold when the policies differ from the
   * previous version's and to the "egress" threshold when the egress policy does (a first version
   * that sets them changes them): the control plane's publish rule, re-checked by every worker.
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

  private static SnapshotRefused refused(long version, String digest, RefusalReason reason, String detail) {
    return new SnapshotRefused(version, digest, reason, detail);
  }

  private static String shown(String digest) {
    return digest.isEmpty() ? "(empty)" : digest.substring(0, Math.min(12, digest.length())) + "…";
  }
}

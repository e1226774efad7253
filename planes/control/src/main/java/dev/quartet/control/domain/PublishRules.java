package dev.quartet.control.domain;

import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.DsseSignature;
import dev.quartet.contracts.trust.Ed25519PublicKey;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.contracts.trust.Verification;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The control plane's publish rules (spec: "Trust and configuration"), pure: trust root, head,
 * envelope and the time in; a decision out. Order matters: the cheapest checks that need no
 * signature come first, and nothing from an unverified document is trusted beyond naming it.
 */
public final class PublishRules {
  /** Clock skew tolerated for issuedAt in the future. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  // Threshold scopes of the trust root (TrustRoot.PRIVILEGED_SCOPES) that guard policy and egress changes.
  private static final String POLICY_SCOPE = "policy";
  private static final String EGRESS_SCOPE = "egress";

  private PublishRules() {}

  /** Decides whether {@code envelope} may follow {@code head} under {@code root} at {@code now}. */
  public static PublishDecision decide(TrustRoot root, Optional<ConfigHead> head, DsseEnvelope envelope, Instant now) {
    if (root.isExpiredAt(now)) {
      return new PublishDecision.Rejected(RejectionReason.TRUST_EXPIRED, "the trust root expired at " + root.expires(), null);
    }
    if (!ConfigSnapshot.PAYLOAD_TYPE.equals(envelope.payloadType())) {
      return new PublishDecision.Rejected(RejectionReason.MALFORMED, "payloadType must be " + ConfigSnapshot.PAYLOAD_TYPE, null);
    }
    ConfigSnapshot snapshot;
    try {
      snapshot = ConfigSnapshot.fromSignedPayload(envelope.payload());
    } catch (ConfigDocumentException e) {
      return new PublishDecision.Rejected(RejectionReason.MALFORMED, e.getMessage(), null);
    }
    Set<String> trustedIds = root.adminKeys().stream().map(k -> k.keyId().hex()).collect(Collectors.toSet());
    boolean anyTrusted = envelope.signatures().stream().map(DsseSignature::keyid).anyMatch(trustedIds::contains);
    if (!anyTrusted) {
      return new PublishDecision.Rejected(RejectionReason.UNKNOWN_KEY,
          "no signature by a key of trust root v" + root.version(), snapshot);
    }
    int threshold = requiredThreshold(root, head, snapshot);
    Verification verification = Dsse.verify(envelope, ConfigSnapshot.PAYLOAD_TYPE, root.adminKeys(), threshold);
    if (verification instanceof Verification.Failed failed) {
      boolean badSignature = hasInvalidTrustedSignature(envelope, root.adminKeys());
      return new PublishDecision.Rejected(badSignature ? RejectionReason.BAD_SIGNATURE : RejectionReason.THRESHOLD_NOT_MET,
          failed.reason() + " (threshold " + threshold + " for this change)", snapshot);
    }
    long expectedVersion = head.map(h -> h.version() + 1).orElse(1L);
    if (snapshot.version() != expectedVersion) {
      return new PublishDecision.Rejected(RejectionReason.VERSION_NOT_NEXT,
          "version " + snapshot.version() + " is not head + 1 = " + expectedVersion + " for " + snapshot.scope(), snapshot);
    }
    String expectedParent = head.map(ConfigHead::digest).orElse("");
    if (!snapshot.parent().equals(expectedParent)) {
      return new PublishDecision.Rejected(RejectionReason.PARENT_MISMATCH,
          "parent " + shown(snapshot.parent()) + " is not the head's digest " + shown(expectedParent), snapshot);
    }
    if (!snapshot.expiresAt().isAfter(now)) {
      return new PublishDecision.Rejected(RejectionReason.EXPIRED, "expired at " + snapshot.expiresAt(), snapshot);
    }
    if (snapshot.issuedAt() != null && snapshot.issuedAt().isAfter(now.plus(MAX_CLOCK_SKEW))) {
      return new PublishDecision.Rejected(RejectionReason.NOT_YET_VALID, "issued at " + snapshot.issuedAt() + ", in the future", snapshot);
    }
    return new PublishDecision.Accepted(snapshot, ((Verification.Verified) verification).signers());
  }

  /**
   * The scope's own threshold, raised to the privileged thresholds when the change touches
   * policies or egress (a first version that sets them touches them).
   */
  static int requiredThreshold(TrustRoot root, Optional<ConfigHead> head, ConfigSnapshot next) {
    int threshold = root.threshold(next.scope().toString());
    for (String section : privilegedSections(head, next)) {
      threshold = Math.max(threshold, root.threshold(section));
    }
    return threshold;
  }

  /**
   * The privileged threshold scopes ({@code policy}, {@code egress}) a change from {@code head} to
   * {@code next} touches; empty for an ordinary change. Such a change is never made unrecorded:
   * it needs their thresholds, and is refused while evidence cannot be written.
   */
  public static Set<String> privilegedSections(Optional<ConfigHead> head, ConfigSnapshot next) {
    Map<String, Object> before = head.map(h -> h.snapshot().policies()).orElse(Map.of());
    Map<String, Object> after = next.policies();
    Set<String> touched = new TreeSet<>();
    if (!Objects.equals(before, after)) {
      touched.add(POLICY_SCOPE);
    }
    if (!Objects.equals(before.get("egress"), after.get("egress"))) {
      touched.add(EGRESS_SCOPE);
    }
    return touched;
  }

  private static boolean hasInvalidTrustedSignature(DsseEnvelope envelope, Set<Ed25519PublicKey> keys) {
    byte[] pae = Dsse.pae(envelope.payloadType(), envelope.payload());
    for (DsseSignature s : envelope.signatures()) {
      for (Ed25519PublicKey k : keys) {
        if (k.keyId().hex().equals(s.keyid()) && !k.verifies(pae, s.sig())) {
          return true;
        }
      }
    }
    return false;
  }

  private static String shown(String digest) {
    return digest.isEmpty() ? "(empty)" : digest.substring(0, Math.min(12, digest.length())) + "…";
  }
}

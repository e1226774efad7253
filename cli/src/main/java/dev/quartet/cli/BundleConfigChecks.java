package dev.quartet.cli;

import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.JsonParser;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.contracts.trust.Verification;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The config side of a bundle: each snapshot is a DSSE envelope signed by the trust root's admin
 * keys up to its scope's threshold, whose payload is the scope, version and digest the manifest
 * names; and each config digest an event references is either such a snapshot or listed as missing.
 */
final class BundleConfigChecks {
  private static final String HEX64 = "[0-9a-f]{64}";
  private final TrustRoot root;
  private final BundleEntries bundle;
  private final BundleManifest manifest;
  private final Map<String, Long> versionByDigest = new HashMap<>();
  private final Set<String> missing = new HashSet<>();

  BundleConfigChecks(TrustRoot root, BundleEntries bundle, BundleManifest manifest) {
    this.root = root;
    this.bundle = bundle;
    this.manifest = manifest;
  }

  /** Verifies every snapshot and reads the missing list. @throws BundleStepException at the first bad one */
  void snapshots() {
    List<BundleManifest.ConfigSnapshot> snapshots = manifest.configSnapshots();
    for (int i = 0; i < snapshots.size(); i++) {
      BundleManifest.ConfigSnapshot c = snapshots.get(i);
      String step = "config[" + i + "] (" + Shown.text(c.scope()) + " v" + c.version() + ")";
      String digest = snapshot(step, c);
      versionByDigest.put(digest, c.version());
    }
    List<BundleManifest.MissingConfig> absent = manifest.missingConfigSnapshots();
    for (int i = 0; i < absent.size(); i++) {
      if (!absent.get(i).digest().matches(HEX64)) {
        throw new BundleStepException("config.missing[" + i + "]", "digest " + Shown.text(absent.get(i).digest())
            + " is not 64 lowercase hex digits");
      }
      missing.add(absent.get(i).digest());
    }
  }

  /** Checks what events reference. @throws BundleStepException at the first event whose config is unaccounted for */
  void references(List<BundleEventChecks.ConfigRef> refs) {
    for (BundleEventChecks.ConfigRef ref : refs) {
      String step = "config-ref[" + ref.event() + "] (event " + Shown.text(ref.eventId()) + ")";
      Long version = versionByDigest.get(ref.digest());
      if (version != null) {
        if (ref.version() != null && !ref.version().equals(version)) {
          throw new BundleStepException(step, "the event says config version " + ref.version() + ", but digest "
              + Shown.text(ref.digest()) + " is version " + version);
        }
      } else if (!missing.contains(ref.digest())) {
        throw new BundleStepException(step, "config digest " + Shown.text(ref.digest())
            + " is neither a snapshot in the bundle nor listed as missing");
      }
    }
  }

  private String snapshot(String step, BundleManifest.ConfigSnapshot c) {
    DsseEnvelope envelope;
    try {
      envelope = DsseEnvelope.fromJson(bundle.read(c.envelope()));
    } catch (IllegalArgumentException e) {
      throw new BundleStepException(step, Shown.text(e.getMessage()));
    }
    if (!ConfigDocuments.PAYLOAD_TYPE.equals(envelope.payloadType())) {
      throw new BundleStepException(step, "payloadType is " + Shown.text(envelope.payloadType()) + ", expected "
          + ConfigDocuments.PAYLOAD_TYPE);
    }
    byte[] payload = envelope.payload();
    String digest = BundleWriter.sha256Hex(payload);
    if (!digest.equals(c.digest())) {
      throw new BundleStepException(step, "digest: the payload hashes to " + digest + ", the manifest says " + Shown.text(c.digest()));
    }
    Object doc;
    try {
      doc = JsonParser.parse(payload);
    } catch (IllegalArgumentException e) {
      throw new BundleStepException(step, "the payload is not JSON: " + Shown.text(e.getMessage()));
    }
    Object scope = doc instanceof Map<?, ?> m ? m.get("scope") : null;
    Object version = doc instanceof Map<?, ?> m ? m.get("version") : null;
    if (!(scope instanceof String s) || !BundleLayout.isScope(s) || !(version instanceof Number n)
        || n.doubleValue() != (double) c.version() || !s.equals(c.scope())) {
      throw new BundleStepException(step, "the signed payload is " + Shown.text(String.valueOf(scope)) + " v"
          + Shown.text(String.valueOf(version)) + ", not what the manifest says");
    }
    // The scope's threshold, as the control plane applies it; a change to policies may have needed
    // more signatures at publish time, which this offline check cannot know without the previous version.
    Verification v = Dsse.verify(envelope, ConfigDocuments.PAYLOAD_TYPE, root.adminKeys(), root.threshold(s));
    if (v instanceof Verification.Failed f) {
      throw new BundleStepException(step, "signatures: " + f.step() + ": " + Shown.text(f.reason()));
    }
    return digest;
  }
}

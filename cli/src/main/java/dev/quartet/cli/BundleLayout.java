package dev.quartet.cli;

import java.util.regex.Pattern;

/**
 * Entry names of an evidence export bundle, a zip: {@code manifest.json} indexes everything and
 * holds the SHA-256 of every other entry; event {@code n} (0-based, as in verify's step names) is
 * {@code events/n.avro} (the exact record bytes, i.e. the Merkle leaf data), {@code events/n.json}
 * (a readable rendering) and {@code proofs/inclusion/n.json}; signed checkpoints are
 * {@code checkpoints/P-SIZE.note}, consistency proofs {@code proofs/consistency/P-FROM-TO.json},
 * config snapshots {@code config/TENANT/ENV/VERSION.dsse.json}, the log's keys {@code keys.json}, and
 * {@code manifest.sig} the signed note over the manifest's SHA-256.
 */
final class BundleLayout {
  /** Value of the manifest's {@code format}; a verifier refuses formats it does not know. */
  static final String FORMAT = "quartet-evidence-bundle/1";
  static final String MANIFEST = "manifest.json";
  /** The signed note over the manifest's SHA-256 (see {@link BundleSignature}); written last, listed nowhere. */
  static final String SIGNATURE = "manifest.sig";
  static final String KEYS = "keys.json";
  private static final Pattern SCOPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}/[a-z0-9][a-z0-9-]{0,62}");

  private BundleLayout() {}

  static String record(int event) {
    return String.format("events/%06d.avro", event);
  }

  static String rendering(int event) {
    return String.format("events/%06d.json", event);
  }

  static String inclusion(int event) {
    return String.format("proofs/inclusion/%06d.json", event);
  }

  static String checkpoint(int partition, long treeSize) {
    return "checkpoints/" + partition + "-" + treeSize + ".note";
  }

  static String consistency(int partition, long fromSize, long toSize) {
    return "proofs/consistency/" + partition + "-" + fromSize + "-" + toSize + ".json";
  }

  /** @throws IllegalArgumentException unless {@code scope} is tenant/environment (so it is a safe path) */
  static String config(String scope, long version) {
    if (!isScope(scope)) {
      throw new IllegalArgumentException("not a config scope (tenant/environment): " + Shown.text(scope));
    }
    return "config/" + scope + "/" + version + ".dsse.json";
  }

  static boolean isScope(String scope) {
    return scope != null && SCOPE.matcher(scope).matches();
  }
}

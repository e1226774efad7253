package dev.quartet.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entry names of an evidence export bundle (format {@value #FORMAT}), a zip: {@code manifest.json}
 * indexes everything and holds the SHA-256 of every entry but the three event entries. The events
 * are those three entries read front to back, event {@code n} (0-based, as in verify's step names)
 * being the n-th item of each: {@code events/records.bin} (per event: its log position, leaf hash
 * and lengths, then the exact record bytes, i.e. the Merkle leaf data; see {@link BundleRecords};
 * the manifest lists the SHA-256 of the frame headers), {@code events/renderings.jsonl} (one
 * readable JSON rendering per line, each checked to be its record's) and {@code proofs/inclusion.jsonl}
 * (one RFC 9162 inclusion proof per line, only for events no complete range of leaves proves; each
 * checked against a signed checkpoint; see {@link BundleDocuments.InclusionLine}).
 * Signed checkpoints are {@code checkpoints/P-SIZE.note}, consistency proofs
 * {@code proofs/consistency/P-FROM-TO.json}, config snapshots {@code config/TENANT/ENV/VERSION.dsse.json},
 * the log's keys {@code keys.json}, and {@code manifest.sig} the signed note over the manifest's SHA-256.
 */
final class BundleLayout {
  /** Value of the manifest's {@code format}; a verifier refuses formats it does not know. */
  static final String FORMAT = "quartet-evidence-bundle/3";
  /** Formats this verifier no longer reads (an export of today reads them again). */
  static final java.util.List<String> OLD_FORMATS = java.util.List.of("quartet-evidence-bundle/1", "quartet-evidence-bundle/2");
  static final String MANIFEST = "manifest.json";
  /** The signed note over the manifest's SHA-256 (see {@link BundleSignature}); written last, listed nowhere. */
  static final String SIGNATURE = "manifest.sig";
  static final String KEYS = "keys.json";
  static final String RECORDS = "events/records.bin";
  static final String RENDERINGS = "events/renderings.jsonl";
  static final String INCLUSION = "proofs/inclusion.jsonl";
  private static final Pattern SCOPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}/[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern CHECKPOINT = Pattern.compile("checkpoints/(0|[1-9][0-9]{0,8})-(0|[1-9][0-9]{0,18})\\.note");

  private BundleLayout() {}

  /** Partition and tree size a checkpoint entry name states. */
  record CheckpointName(int partition, long treeSize) {}

  static String checkpoint(int partition, long treeSize) {
    return "checkpoints/" + partition + "-" + treeSize + ".note";
  }

  /** The partition and size {@code name} states, or null when it is not a checkpoint entry name. */
  static CheckpointName parseCheckpoint(String name) {
    Matcher m = CHECKPOINT.matcher(name);
    if (!m.matches()) {
      return null;
    }
    try {
      return new CheckpointName(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
    } catch (NumberFormatException e) {
      return null;
    }
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

package dev.quartet.cli;

import dev.quartet.cli.BundleEventChecks.VerifiedCheckpoint;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.contracts.trust.Verification;
import dev.quartet.evidence.domain.merkle.MerkleVerifier;
import dev.quartet.evidence.domain.note.Checkpoint;
import dev.quartet.evidence.domain.note.NoteVerifier;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Verifies an evidence bundle offline against a pinned trust root, with no server and no network.
 * Steps, in order, the first failure ending it: {@code trust} (the root's self-signature and
 * expiry), {@code manifest} (format, counts, entries referenced once), {@code keys},
 * {@code checkpoint[i]} (each signed note by a checkpoint key of the root), {@code consistency[i]}
 * (each proof, then that consecutive checkpoints of a log are all linked), {@code inclusion[i]}
 * (each event's exact bytes in a signed checkpoint: by recomputing its root where the bundle holds
 * every leaf below its size, else by the event's inclusion proof), {@code event[i]} (decoding, rendering),
 * {@code config[i]} (snapshot signatures), {@code config-ref[i]} (every digest an event names is
 * present or listed missing), {@code manifest} again (every other entry's SHA-256, none unlisted; the
 * event entries are bound by the frames hash, checked as they are read) and
 * {@code signature} (the manifest signed by a checkpoint key of the root, {@link BundleSignature}).
 */
final class BundleVerifier {
  private static final HexFormat HEX = HexFormat.of();
  private final TrustRoot root;
  private final BundleEntries bundle;
  private final BundleManifest manifest;
  private final Map<String, VerifiedCheckpoint> checkpoints = new HashMap<>();
  private final Map<Integer, NavigableMap<Long, VerifiedCheckpoint>> logs = new HashMap<>();
  private final int threads;

  private BundleVerifier(TrustRoot root, BundleEntries bundle, BundleManifest manifest, int threads) {
    this.root = root;
    this.bundle = bundle;
    this.manifest = manifest;
    this.threads = threads;
  }

  /** Verifies {@code bundle} against the signed trust root in {@code trustJson}, valid at {@code now}, on one thread per core. */
  static BundleVerification verify(byte[] trustJson, BundleEntries bundle, java.time.Instant now) {
    return verify(trustJson, bundle, now, Runtime.getRuntime().availableProcessors());
  }

  /** As {@link #verify(byte[], BundleEntries, java.time.Instant)}, checking events on {@code threads} threads. */
  static BundleVerification verify(byte[] trustJson, BundleEntries bundle, java.time.Instant now, int threads) {
    try {
      TrustRoot root = trust(trustJson, now);
      BundleVerifier verifier = new BundleVerifier(root, bundle, manifest(bundle), Math.max(1, threads));
      return verifier.run();
    } catch (BundleStepException e) {
      return new BundleVerification.Failed(e.step(), e.reason());
    }
  }

  private BundleVerification run() {
    keys();
    checkpoints();
    consistency();
    BundleEventChecks events = new BundleEventChecks(bundle, manifest, checkpoints, logs);
    events.run(threads);
    throwIfSet(events.firstEventFailure());
    throwIfSet(events.renderingsOverrun());
    BundleConfigChecks configs = new BundleConfigChecks(root, bundle, manifest);
    configs.snapshots();
    configs.references(events.configRefs());
    hashes(events.framesSha256());
    // Last: every check above holds for any self-consistent bundle; only the signature says this selection is the exporter's.
    BundleSignature.verify(bundle.contains(BundleLayout.SIGNATURE) ? bundle.read(BundleLayout.SIGNATURE) : null,
        bundle.read(BundleLayout.MANIFEST), new CheckpointKeyring(root));
    return new BundleVerification.Verified(manifest.counts().events(), events.provenByRange(), events.provenByProof(),
        manifest.checkpoints().size(), manifest.consistencyProofs().size(), manifest.configSnapshots().size(),
        manifest.missingConfigSnapshots().size(), root.version());
  }

  private static TrustRoot trust(byte[] json, java.time.Instant now) {
    try {
      DsseEnvelope envelope = DsseEnvelope.fromJson(json);
      Verification v = TrustRoot.verifySelfSigned(envelope, now);
      if (v instanceof Verification.Failed f) {
        throw new BundleStepException("trust", f.step() + ": " + Shown.text(f.reason()));
      }
      return TrustRoot.decode(envelope);
    } catch (IllegalArgumentException e) {
      throw new BundleStepException("trust", "not a signed trust root: " + Shown.text(e.getMessage()));
    }
  }

  private static BundleManifest manifest(BundleEntries bundle) {
    BundleManifest m;
    try {
      byte[] json = bundle.read(BundleLayout.MANIFEST);
      // The format first: an older manifest does not have the fields of this one.
      String format = formatOf(json);
      if (!BundleLayout.FORMAT.equals(format)) {
        throw new BundleStepException("manifest", "format " + Shown.text(format) + " is not " + BundleLayout.FORMAT
            + (BundleLayout.OLD_FORMATS.contains(format) ? " (bundles of that format are no longer read: export again)" : ""));
      }
      m = BundleManifest.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new BundleStepException("manifest", Shown.text(e.getMessage()));
    }
    String frames = m.events().framesSha256();
    if (frames == null || !frames.matches("[0-9a-f]{64}")) {
      throw new BundleStepException("manifest", "events.framesSha256 must be 64 lowercase hex digits, is " + Shown.text(frames));
    }
    for (String name : m.events().entries()) {
      if (m.sha256().containsKey(name)) {
        throw new BundleStepException("manifest", "event entry " + Shown.text(name)
            + " is listed in sha256: event entries are bound by events.framesSha256 and their checks");
      }
    }
    if (m.counts().events() < 0 || m.counts().inclusionProofs() < 0 || m.counts().inclusionProofs() > m.counts().events()) {
      throw new BundleStepException("manifest", "counts " + m.counts() + " are not possible");
    }
    if (!m.counts().equals(m.countedLists())) {
      throw new BundleStepException("manifest", "counts " + m.counts() + " do not match the lists " + m.countedLists());
    }
    Set<String> referenced = new HashSet<>();
    List<String> names = new ArrayList<>(List.of(m.keys()));
    names.addAll(List.of(m.events().records(), m.events().renderings(), m.events().inclusionProofs()));
    names.addAll(m.checkpoints());
    names.addAll(m.consistencyProofs());
    m.configSnapshots().forEach(c -> names.add(c.envelope()));
    for (String name : names) {
      if (BundleLayout.MANIFEST.equals(name) || !referenced.add(name)) {
        throw new BundleStepException("manifest", "entry " + Shown.text(name) + " is referenced twice");
      }
    }
    return m;
  }

  /** The manifest's {@code format}, read before anything else. @throws IllegalArgumentException when it is not a JSON object */
  private static String formatOf(byte[] json) {
    com.fasterxml.jackson.databind.JsonNode tree;
    try {
      tree = BundleDocuments.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    com.fasterxml.jackson.databind.JsonNode format = tree.get("format");
    return format == null || !format.isTextual() ? String.valueOf(format) : format.asText();
  }

  private void keys() {
    BundleDocuments.KeysFile file;
    try {
      file = BundleDocuments.read(bundle.read(manifest.keys()), BundleDocuments.KeysFile.class);
    } catch (IllegalArgumentException e) {
      throw new BundleStepException("keys", Shown.text(e.getMessage()));
    }
    for (int i = 0; i < file.keys().size(); i++) {
      BundleDocuments.Key k = file.keys().get(i);
      try {
        NoteVerifier v = NoteVerifier.parse(k.vkey());
        if (!Arrays.equals(v.publicKey(), Base64.getDecoder().decode(k.publicKey()))) {
          throw new IllegalArgumentException("publicKey is not the key of the vkey");
        }
      } catch (IllegalArgumentException e) {
        throw new BundleStepException("keys[" + i + "]", Shown.text(e.getMessage()));
      }
    }
  }

  private void checkpoints() {
    CheckpointKeyring keyring = new CheckpointKeyring(root);
    Map<String, VerifiedCheckpoint> byOriginAndSize = new HashMap<>();
    for (int i = 0; i < manifest.checkpoints().size(); i++) {
      String entry = manifest.checkpoints().get(i);
      String step = "checkpoint[" + i + "] (" + Shown.text(entry) + ")";
      Checkpoint c;
      try {
        c = keyring.open(bundle.read(entry));
      } catch (IllegalArgumentException e) {
        throw new BundleStepException(step, e.getMessage());
      }
      BundleLayout.CheckpointName named = BundleLayout.parseCheckpoint(entry);
      if (named == null || named.treeSize() != c.treeSize()) {
        throw new BundleStepException(step, "the entry name must be checkpoints/PARTITION-SIZE.note with the note's size "
            + c.treeSize());
      }
      VerifiedCheckpoint cp = new VerifiedCheckpoint(c.origin(), c.treeSize(), c.rootHash());
      NavigableMap<Long, VerifiedCheckpoint> log = logs.computeIfAbsent(named.partition(), p -> new TreeMap<>());
      if (!log.isEmpty() && !log.firstEntry().getValue().origin().equals(c.origin())) {
        throw new BundleStepException(step, "partition " + named.partition() + " has checkpoints of two logs, "
            + Shown.text(log.firstEntry().getValue().origin()) + " and " + Shown.text(c.origin()));
      }
      VerifiedCheckpoint same = byOriginAndSize.putIfAbsent(c.origin() + "\n" + c.treeSize(), cp);
      if (same != null && !Arrays.equals(same.root(), cp.root())) {
        // Two signed roots for one size of one log: the log forked (split view). Keep the evidence.
        throw new BundleStepException(step, "fork: log " + Shown.text(c.origin()) + " has two signed roots for size "
            + c.treeSize() + " (" + HEX.formatHex(same.root()) + ", " + HEX.formatHex(cp.root()) + ")");
      }
      checkpoints.put(entry, cp);
      log.put(c.treeSize(), cp);
    }
  }

  private void consistency() {
    Set<String> proven = new HashSet<>();
    for (int i = 0; i < manifest.consistencyProofs().size(); i++) {
      String entry = manifest.consistencyProofs().get(i);
      String step = "consistency[" + i + "] (" + Shown.text(entry) + ")";
      BundleDocuments.ConsistencyFile f;
      List<byte[]> hashes = new ArrayList<>();
      try {
        f = BundleDocuments.read(bundle.read(entry), BundleDocuments.ConsistencyFile.class);
        f.hashes().forEach(h -> hashes.add(HEX.parseHex(h)));
      } catch (IllegalArgumentException e) {
        throw new BundleStepException(step, Shown.text(e.getMessage()));
      }
      VerifiedCheckpoint from = checkpoints.get(f.from());
      VerifiedCheckpoint to = checkpoints.get(f.to());
      if (from == null || to == null || !from.origin().equals(to.origin())) {
        throw new BundleStepException(step, "it must link two checkpoints of this bundle of one log, links "
            + Shown.text(f.from()) + " and " + Shown.text(f.to()));
      }
      if (f.fromSize() != from.treeSize() || f.toSize() != to.treeSize()) {
        throw new BundleStepException(step, "tree size: the proof is for sizes " + f.fromSize() + " -> " + f.toSize()
            + ", the checkpoints have " + from.treeSize() + " -> " + to.treeSize());
      }
      var v = MerkleVerifier.verifyConsistency(from.treeSize(), to.treeSize(), hashes, from.root(), to.root());
      if (v instanceof dev.quartet.evidence.domain.merkle.Verification.Failed failed) {
        throw new BundleStepException(step, BundleEventChecks.describe(failed));
      }
      proven.add(from.origin() + "\n" + from.treeSize() + "\n" + to.treeSize());
    }
    // Every checkpoint of a log must be linked to the next larger one, so the bundle shows one history.
    Map<String, TreeSet<Long>> sizes = new TreeMap<>();
    checkpoints.values().forEach(c -> sizes.computeIfAbsent(c.origin(), o -> new TreeSet<>()).add(c.treeSize()));
    sizes.forEach((origin, s) -> {
      Long previous = null;
      for (Long size : s) {
        if (previous != null && !proven.contains(origin + "\n" + previous + "\n" + size)) {
          throw new BundleStepException("consistency (" + Shown.text(origin) + ")", "no proof that size " + size
              + " extends size " + previous);
        }
        previous = size;
      }
    });
  }

  private void hashes(String frames) {
    if (!frames.equals(manifest.events().framesSha256())) {
      throw new BundleStepException("manifest", "the frame headers of " + Shown.text(manifest.events().records())
          + " hash to " + frames + ", the manifest says " + Shown.text(manifest.events().framesSha256())
          + " (frames were added, removed, reordered or rewritten)");
    }
    List<String> eventEntries = manifest.events().entries();
    for (String name : bundle.names()) {
      if (!BundleLayout.MANIFEST.equals(name) && !BundleLayout.SIGNATURE.equals(name) && !manifest.sha256().containsKey(name)
          && !eventEntries.contains(name)) {
        throw new BundleStepException("manifest", "entry " + Shown.text(name) + " is not listed");
      }
    }
    for (Map.Entry<String, String> e : manifest.sha256().entrySet()) {
      if (!bundle.contains(e.getKey())) {
        throw new BundleStepException("manifest", "listed entry " + Shown.text(e.getKey()) + " is missing");
      }
      String actual = BundleWriter.sha256Hex(bundle.read(e.getKey()));
      if (!actual.equals(e.getValue())) {
        throw new BundleStepException("manifest", "sha256 of " + Shown.text(e.getKey()) + " is " + actual
            + ", the manifest says " + Shown.text(e.getValue()));
      }
    }
  }

  private static void throwIfSet(BundleStepException e) {
    if (e != null) {
      throw e;
    }
  }
}

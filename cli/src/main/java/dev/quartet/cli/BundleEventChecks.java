package dev.quartet.cli;

import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.domain.merkle.MerkleVerifier;
import dev.quartet.evidence.domain.merkle.Verification;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.UndecodableEventException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The per-event checks of a bundle, in one pass over its events so each entry is inflated once:
 * inclusion of the exact record bytes in a verified checkpoint, then decoding and rendering, and
 * the entries' manifest hashes. Events are taken in blocks by {@code threads} workers; each check
 * keeps the failure of the lowest event index, so the outcome is the same as one thread's.
 */
final class BundleEventChecks {
  /** A checkpoint whose signed note verified: the log it belongs to, its size and root. */
  record VerifiedCheckpoint(String origin, long treeSize, byte[] root) {}

  /** The first event referencing config {@code digest} (at {@code version}, if it says). */
  record ConfigRef(int event, String eventId, String digest, Long version) {}

  private static final int BLOCK = 256;
  private static final HexFormat HEX = HexFormat.of();
  private final EventCodec codec = EventCodec.standard();
  private final BundleEntries bundle;
  private final BundleManifest manifest;
  private final Map<String, VerifiedCheckpoint> checkpoints;
  private final Set<String> hashed = ConcurrentHashMap.newKeySet();
  private final Map<String, ConfigRef> configRefs = new ConcurrentHashMap<>();
  private final FirstFailure inclusionFailure = new FirstFailure();
  private final FirstFailure eventFailure = new FirstFailure();
  private final FirstFailure hashFailure = new FirstFailure();

  BundleEventChecks(BundleEntries bundle, BundleManifest manifest, Map<String, VerifiedCheckpoint> checkpoints) {
    this.bundle = bundle;
    this.manifest = manifest;
    this.checkpoints = checkpoints;
  }

  /** Checks every event on {@code threads} threads. @throws BundleStepException at the first event whose inclusion fails */
  void run(int threads) {
    AtomicInteger cursor = new AtomicInteger();
    AtomicReference<RuntimeException> crashed = new AtomicReference<>();
    int n = manifest.events().size();
    Runnable worker = () -> {
      try {
        for (int start = cursor.getAndAdd(BLOCK); start < n && crashed.get() == null; start = cursor.getAndAdd(BLOCK)) {
          for (int i = start; i < Math.min(n, start + BLOCK) && i < inclusionFailure.index(); i++) {
            check(i, manifest.events().get(i));
          }
        }
      } catch (RuntimeException e) {
        crashed.compareAndSet(null, e); // e.g. an unreadable zip: never let a dead worker pass for a verified one
      }
    };
    List<Thread> started = new ArrayList<>();
    for (int t = 1; t < Math.min(threads, (n + BLOCK - 1) / BLOCK); t++) {
      Thread thread = new Thread(worker, "bundle-verify-" + t);
      thread.setDaemon(true);
      thread.start();
      started.add(thread);
    }
    worker.run();
    for (Thread t : started) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BundleStepException("inclusion", "interrupted");
      }
    }
    if (crashed.get() != null) {
      throw crashed.get();
    }
    inclusionFailure.throwIfSet();
  }

  /** The first event that failed decoding or rendering, or null. */
  BundleStepException firstEventFailure() {
    return eventFailure.failure();
  }

  /** The first event entry whose bytes do not match the manifest's hash, or null. */
  BundleStepException firstHashFailure() {
    return hashFailure.failure();
  }

  /** Entries whose hash this pass checked. */
  Set<String> hashed() {
    return hashed;
  }

  /** Distinct config references, in order of the first event making each. */
  List<ConfigRef> configRefs() {
    List<ConfigRef> refs = new ArrayList<>(configRefs.values());
    refs.sort(Comparator.comparingInt(ConfigRef::event));
    return refs;
  }

  private void check(int i, BundleManifest.Event e) {
    byte[] record;
    byte[] proof;
    try {
      record = read(i, e, e.record(), "no record bytes");
      proof = read(i, e, e.inclusionProof(), "no inclusion proof");
      inclusion(i, e, record, proof);
    } catch (BundleStepException failure) {
      inclusionFailure.offer(i, failure);
      return;
    }
    hash(i, e.record(), record);
    hash(i, e.inclusionProof(), proof);
    byte[] rendering;
    try {
      rendering = bundle.read(e.rendering());
    } catch (IllegalArgumentException ex) {
      eventFailure.offer(i, failure("event", i, e, ex.getMessage()));
      return;
    }
    hash(i, e.rendering(), rendering);
    if (i < eventFailure.index()) {
      event(i, e, record, rendering); // past a known failure the step's outcome is decided: skip the decoding
    }
  }

  private void inclusion(int i, BundleManifest.Event e, byte[] record, byte[] proofBytes) {
    BundleDocuments.InclusionFile proof;
    try {
      proof = BundleDocuments.read(proofBytes, BundleDocuments.InclusionFile.class);
    } catch (IllegalArgumentException ex) {
      throw failure("inclusion", i, e, ex.getMessage());
    }
    if (!proof.eventId().equals(e.id())) {
      throw failure("inclusion", i, e, "the proof is for event " + Shown.text(proof.eventId()));
    }
    VerifiedCheckpoint cp = checkpoints.get(proof.checkpoint());
    if (cp == null) {
      throw failure("inclusion", i, e, "the proof is against " + Shown.text(proof.checkpoint())
          + ", which is not a checkpoint of this bundle");
    }
    if (proof.treeSize() != cp.treeSize()) {
      throw failure("inclusion", i, e, "tree size: the proof is for size " + proof.treeSize() + ", the checkpoint has "
          + cp.treeSize());
    }
    List<byte[]> hashes = new ArrayList<>(proof.hashes().size());
    for (String h : proof.hashes()) {
      try {
        hashes.add(HEX.parseHex(h));
      } catch (IllegalArgumentException ex) {
        throw failure("inclusion", i, e, "proof hash " + hashes.size() + " is not hex");
      }
    }
    byte[] leafHash = LeafHash.of(record);
    Verification v = MerkleVerifier.verifyInclusion(proof.leafIndex(), cp.treeSize(), leafHash, hashes, cp.root());
    if (v instanceof Verification.Failed f) {
      throw failure("inclusion", i, e, describe(f));
    }
    if (!proof.leafHash().equals(HEX.formatHex(leafHash))) {
      throw failure("inclusion", i, e, "the proof's leafHash is not the hash of the record bytes");
    }
  }

  private void event(int i, BundleManifest.Event e, byte[] record, byte[] rendering) {
    EvidenceEvent event;
    try {
      event = codec.decode(record, EvidenceEvent.class);
    } catch (UndecodableEventException ex) {
      eventFailure.offer(i, failure("event", i, e, "the record is not a decodable EvidenceEvent: " + Shown.text(ex.getMessage())));
      return;
    }
    if (!event.getId().equals(e.id())) {
      eventFailure.offer(i, failure("event", i, e, "the record holds event " + Shown.text(event.getId())));
    } else if (!EventRendering.matches(event, rendering)) {
      eventFailure.offer(i, failure("event", i, e, e.rendering()
          + " does not render the record (it was altered or belongs to another event)"));
    } else if (event.getConfigDigest() != null) {
      ConfigRef ref = new ConfigRef(i, event.getId(), event.getConfigDigest(), event.getConfigVersion());
      configRefs.merge(event.getConfigDigest() + "@" + event.getConfigVersion(), ref,
          (a, b) -> a.event() <= b.event() ? a : b);
    }
  }

  private void hash(int i, String name, byte[] bytes) {
    hashed.add(name);
    String listed = manifest.sha256().get(name);
    String actual = BundleWriter.sha256Hex(bytes);
    if (!actual.equals(listed)) {
      hashFailure.offer(i, new BundleStepException("manifest", listed == null ? "entry " + name + " is not listed"
          : "sha256 of " + name + " is " + actual + ", the manifest says " + Shown.text(listed)));
    }
  }

  private byte[] read(int i, BundleManifest.Event e, String name, String what) {
    try {
      return bundle.read(name);
    } catch (IllegalArgumentException ex) {
      throw failure("inclusion", i, e, what + " (" + ex.getMessage() + ")");
    }
  }

  private static BundleStepException failure(String kind, int i, BundleManifest.Event e, String reason) {
    return new BundleStepException(kind + "[" + i + "] (event " + Shown.text(e.id()) + ")", reason);
  }

  /** MerkleVerifier's step names the part that failed; a root that does not match is the classic tamper sign. */
  static String describe(Verification.Failed f) {
    return f.step().startsWith("root") ? f.step() + " mismatch (" + f.reason() + ")" : f.step() + ": " + f.reason();
  }

  /** The failure at the lowest event index offered so far, from any worker. */
  private static final class FirstFailure {
    private volatile int index = Integer.MAX_VALUE;
    private BundleStepException failure;

    int index() {
      return index;
    }

    synchronized BundleStepException failure() {
      return failure;
    }

    synchronized void offer(int at, BundleStepException f) {
      if (at < index) {
        index = at;
        failure = f;
      }
    }

    synchronized void throwIfSet() {
      if (failure != null) {
        throw failure;
      }
    }
  }
}

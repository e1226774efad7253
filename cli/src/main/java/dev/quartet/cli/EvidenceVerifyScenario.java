package dev.quartet.cli;

import dev.quartet.bench.BenchContext;
import dev.quartet.bench.BenchScenario;
import dev.quartet.bench.EvidenceEvents;
import dev.quartet.bench.Figure;
import dev.quartet.bench.ScenarioResult;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.evidence.config.EvidenceKeyFactory;
import dev.quartet.evidence.domain.CheckpointSigner;
import dev.quartet.evidence.domain.EvidenceCheckpoint;
import dev.quartet.evidence.domain.merkle.CompactRange;
import dev.quartet.evidence.domain.merkle.ConsistencyProof;
import dev.quartet.evidence.domain.merkle.LeafHashes;
import dev.quartet.evidence.domain.merkle.MerkleProver;
import dev.quartet.evidence.domain.note.NoteSigner;
import dev.quartet.schemas.EvidenceEvent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code quartet bench} scenarios of offline bundle verification ({@code quartet evidence verify}),
 * no server needed: a synthetic bundle is built once in a temporary directory (not timed) — a
 * development trust root and checkpoint key, a real RFC 9162 log of typical {@link EvidenceEvent}s
 * encoded to exactly {@code --record-size} bytes, checkpoints signed at half and full size with the
 * consistency proof between them, written by {@link BundleWriter} as export writes it — then the real
 * verifier ({@link BundleVerifier}) runs on it again and again through the warm-up and the measured
 * window. {@code evidence-verify} selects every leaf, so one whole-tree recompute proves them all;
 * {@code evidence-verify-proofs} selects every other leaf of a log twice as long, so each event
 * carries and needs its own inclusion proof. Figure: events verified per second per thread the
 * verifier used ({@code quartet.bench.verify-threads}, default one per core), against the raw leaf
 * hash rate of one core.
 */
final class EvidenceVerifyScenario implements BenchScenario {
  /** Events of the whole-tree bundle. */
  static final String EVENTS_PROPERTY = "quartet.bench.verify-events";
  /** Events of the inclusion proof bundle. */
  static final String PROOF_EVENTS_PROPERTY = "quartet.bench.verify-proof-events";
  /** Threads the verifier uses. */
  static final String THREADS_PROPERTY = "quartet.bench.verify-threads";
  private static final String UNIT = "events/s/core";
  private final String name;
  private final int recordSize;
  private final int events;
  private final boolean everyOtherLeaf;
  private final int threads;

  private EvidenceVerifyScenario(String name, int recordSize, int events, boolean everyOtherLeaf, int threads) {
    this.name = name;
    this.recordSize = recordSize;
    this.events = events;
    this.everyOtherLeaf = everyOtherLeaf;
    this.threads = threads;
  }

  /** Every leaf of the log selected: whole-tree recompute. @throws IllegalArgumentException for a bad property */
  static EvidenceVerifyScenario wholeTree(int recordSize) {
    return new EvidenceVerifyScenario("evidence-verify", recordSize, property(EVENTS_PROPERTY, 1_000_000, 10_000_000),
        false, property(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors(), 256));
  }

  /** Every other leaf selected: one inclusion proof per event. @throws IllegalArgumentException for a bad property */
  static EvidenceVerifyScenario inclusionProofs(int recordSize) {
    return new EvidenceVerifyScenario("evidence-verify-proofs", recordSize, property(PROOF_EVENTS_PROPERTY, 100_000, 5_000_000),
        true, property(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors(), 256));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return "quartet evidence verify of a synthetic " + events + "-event bundle of " + recordSize + " B records, "
        + (everyOtherLeaf ? "every other leaf of the log, each with its inclusion proof" : "every leaf of the log"
        + " (whole-tree recompute)") + ", " + threads + " threads; events/s per thread";
  }

  @Override
  public Kind kind() {
    return Kind.QUARTET;
  }

  @Override
  public Optional<String> baseline() {
    return Optional.of("raw-leaf-hash");
  }

  @Override
  public Optional<String> goal() {
    return Optional.of("evidence.bundle-verify");
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws IOException {
    Path dir = Files.createTempDirectory("quartet-bench-verify-");
    try {
      Built built = build(dir, recordSize, events, everyOtherLeaf);
      long warmEnd = System.nanoTime() + ctx.settings().warmup().toNanos();
      do {
        verify(built);
      } while (System.nanoTime() < warmEnd);
      ctx.startMeasuring();
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      long end = start + ctx.settings().duration().toNanos();
      int runs = 0;
      BundleVerification.Verified last;
      long now;
      do {
        last = verify(built);
        runs++;
        now = System.nanoTime();
      } while (now < end);
      long cpu = processCpuNanos() - cpuStart;
      ctx.stopMeasuring();
      double seconds = (now - start) / 1e9;
      double perSecond = (double) runs * events / seconds;
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("eventsPerSec", perSecond);
      metrics.put("eventsPerSecPerCore", perSecond / threads);
      metrics.put("threads", (double) threads);
      if (cpuStart >= 0 && cpu > 0) {
        metrics.put("eventsPerCpuSecond", (double) runs * events / (cpu / 1e9));
      }
      metrics.put("events", (double) events);
      metrics.put("provenByRange", (double) last.provenByRange());
      metrics.put("provenByProof", (double) last.provenByProof());
      metrics.put("runs", (double) runs);
      metrics.put("seconds", seconds);
      metrics.put("valueBytes", (double) recordSize);
      metrics.put("bundleBytes", (double) Files.size(built.bundle()));
      return new ScenarioResult(new Figure("throughput", perSecond / threads, UNIT, true), metrics);
    } finally {
      BenchFiles.deleteTree(dir);
    }
  }

  private BundleVerification.Verified verify(Built built) throws IOException {
    try (BundleEntries entries = BundleEntries.open(built.bundle(), BundleEntries.Limits.defaults())) {
      BundleVerification v = BundleVerifier.verify(built.trustJson(), entries, Instant.now(), threads);
      if (v instanceof BundleVerification.Failed f) {
        throw new IllegalStateException("the synthetic bundle did not verify: " + f.line());
      }
      return (BundleVerification.Verified) v;
    }
  }

  /** A bundle and the trust root to verify it against. */
  record Built(Path bundle, byte[] trustJson) {}

  /**
   * Builds a bundle of {@code events} events in {@code dir}: every leaf of a log of that many, or
   * (with {@code everyOtherLeaf}) the odd leaves of a log twice as long, each with its inclusion proof.
   */
  static Built build(Path dir, int recordSize, int events, boolean everyOtherLeaf) throws IOException {
    DevelopmentTrust trust = DevelopmentTrust.ensure(dir.resolve("trust"), Clock.systemUTC());
    NoteSigner logKey = EvidenceKeyFactory.read(DevelopmentTrust.checkpointKeyFile(dir.resolve("trust")),
        "bench.quartet.dev/evidence");
    EvidenceEvents gen = EvidenceEvents.ofEncodedSize(recordSize);
    int logSize = everyOtherLeaf ? 2 * events : events;
    long half = Math.max(1, logSize / 2);
    CheckpointSigner signer = new CheckpointSigner("bench.quartet.dev/evidence/0", logKey);
    TreeHashing hashing = new TreeHashing();
    List<byte[]> leaves = new ArrayList<>(logSize);
    TreeMap<Long, EvidenceCheckpoint> checkpoints = new TreeMap<>();
    CompactRange tree = CompactRange.empty();
    String digest = null;
    Path out = dir.resolve("bundle.zip");
    try (BundleWriter w = BundleWriter.create(out)) {
      w.add(BundleLayout.KEYS, BundleDocuments.write(new BundleDocuments.KeysFile("bench.quartet.dev/evidence/",
          List.of(new BundleDocuments.Key("bench.quartet.dev/evidence", String.format("%08x", logKey.keyId()),
              logKey.verifier().vkey(), java.util.Base64.getEncoder().encodeToString(logKey.verifier().publicKey()),
              "bench")))));
      for (int i = 0; i < logSize; i++) {
        EvidenceEvent event = gen.next(i);
        byte[] value = gen.encode(event);
        byte[] leaf = new byte[TreeHashing.HASH];
        hashing.leaf(value, 0, value.length, leaf, 0);
        leaves.add(leaf);
        tree = tree.append(leaf);
        if (tree.size() == half || tree.size() == logSize) {
          checkpoints.put(tree.size(), signer.sign(tree));
        }
        if (!everyOtherLeaf || i % 2 == 1) {
          w.event(0, i, leaf, value, EventRendering.of(event));
          digest = event.getConfigDigest();
        }
      }
      List<String> checkpointEntries = new ArrayList<>();
      for (EvidenceCheckpoint c : checkpoints.values()) {
        checkpointEntries.add(BundleLayout.checkpoint(0, c.treeSize()));
        w.add(BundleLayout.checkpoint(0, c.treeSize()), c.signedNote().getBytes(StandardCharsets.UTF_8));
      }
      List<String> consistency = new ArrayList<>();
      if (checkpoints.size() == 2) {
        ConsistencyProof p = MerkleProver.consistency(LeafHashes.of(leaves), half, logSize);
        String entry = BundleLayout.consistency(0, half, logSize);
        w.add(entry, BundleDocuments.write(new BundleDocuments.ConsistencyFile(0, half, logSize,
            p.hashes().stream().map(HexFormat.of()::formatHex).toList(), BundleLayout.checkpoint(0, half),
            BundleLayout.checkpoint(0, logSize))));
        consistency.add(entry);
      }
      if (everyOtherLeaf) {
        ProofTree proofs = new ProofTree(leaves);
        for (int n = 0; n < events; n++) {
          long leaf = 2L * n + 1;
          long size = checkpoints.ceilingKey(leaf + 1);
          w.inclusion(new BundleDocuments.InclusionLine(n, 0, leaf, size,
              proofs.inclusion(leaf, size).stream().map(HexFormat.of()::formatHex).toList(), BundleLayout.checkpoint(0, size)));
        }
      }
      List<BundleManifest.MissingConfig> missing = digest == null ? List.of()
          : List.of(new BundleManifest.MissingConfig(null, 42L, digest, "synthetic bench bundle: no control plane"));
      w.finish(new BundleManifest(BundleLayout.FORMAT, Instant.now().toString(), Map.of("bench", "synthetic"),
          new BundleManifest.Counts(w.events(), w.inclusionProofs(), checkpointEntries.size(), consistency.size(), 0,
              missing.size()),
          BundleLayout.KEYS, BundleManifest.Events.standard(), checkpointEntries, consistency, List.of(), missing, Map.of()),
          logKey);
    }
    return new Built(out, Files.readAllBytes(trust.trustFile()));
  }

  private static int property(String name, int fallback, int max) {
    String v = System.getProperty(name);
    if (v == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(v.trim().replace("_", ""));
      if (value < 1 || value > max) {
        throw new IllegalArgumentException(name + " must be 1.." + max + ", was " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + v + "'", e);
    }
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
  }
}

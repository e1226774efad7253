package dev.quartet.cli;

import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.UndecodableEventException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The per-event checks of a bundle, reading each event entry once, front to back:
 *
 * <ol>
 *   <li>records and renderings together, in batches that {@code threads} workers check: each
 *       record's leaf hash, and that its rendering line renders it ({@link FastRendering}, else
 *       decoding and {@link EventRendering});
 *   <li>per log (partition), the complete range: when the bundle holds every leaf 0..S-1 for a
 *       checkpoint of size S, the root recomputed from those leaves in one pass proves all of them
 *       at once against the signed checkpoint (RFC 9162 §2.1.1), every smaller checkpoint's root on
 *       the way;
 *   <li>the inclusion proofs, one per event no complete range proves.
 * </ol>
 *
 * Each check keeps the failure of the lowest event index, so the outcome does not depend on the
 * number of threads; inclusion failures come before rendering failures. The SHA-256 of each of
 * the three entries is taken as it is read, for the manifest step.
 */
final class BundleEventChecks {
  /** A checkpoint whose signed note verified: the log it belongs to, its size and root. */
  record VerifiedCheckpoint(String origin, long treeSize, byte[] root) {}

  /** The first event referencing config {@code digest} (at {@code version}, if it says). */
  record ConfigRef(int event, String eventId, String digest, Long version) {}

  private static final int BATCH = 2048;
  private static final int MAX_LINE = 16 * 1024 * 1024;
  private static final int MAX_PROOF_LINE = 64 * 1024;
  private static final HexFormat HEX = HexFormat.of();
  private static final com.fasterxml.jackson.databind.ObjectReader PROOF_LINE = BundleDocuments.JSON
      .readerFor(BundleDocuments.InclusionLine.class)
      .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private final EventCodec codec = EventCodec.standard();
  private final BundleEntries bundle;
  private final BundleManifest manifest;
  private final Map<String, VerifiedCheckpoint> checkpoints;
  /** Per partition, its verified checkpoints by size. */
  private final Map<Integer, NavigableMap<Long, VerifiedCheckpoint>> logs;
  private final int n;
  private final byte[] leafHashes;
  private final int[] partitions;
  private final long[] leafIndexes;
  private final boolean[] frameHashWrong;
  private final boolean[] proven;
  private final boolean[] implicated;
  private final Map<String, ConfigRef> configRefs = new ConcurrentHashMap<>();
  private final Map<String, String> streamedSha256 = new HashMap<>();
  private final FirstFailure inclusionFailure = new FirstFailure();
  private final FirstFailure eventFailure = new FirstFailure();
  private final ThreadLocal<Worker> workers = ThreadLocal.withInitial(Worker::new);
  private BundleStepException countMismatch;
  private int provenByRange;
  private int provenByProof;

  BundleEventChecks(BundleEntries bundle, BundleManifest manifest, Map<String, VerifiedCheckpoint> checkpoints,
                    Map<Integer, NavigableMap<Long, VerifiedCheckpoint>> logs) {
    this.bundle = bundle;
    this.manifest = manifest;
    this.checkpoints = checkpoints;
    this.logs = logs;
    this.n = manifest.counts().events();
    if (n < 0 || n > bundle.limits().maxEvents()) {
      throw new BundleStepException("manifest", n + " events, at most " + bundle.limits().maxEvents() + " accepted");
    }
    this.leafHashes = new byte[n * TreeHashing.HASH];
    this.partitions = new int[n];
    this.leafIndexes = new long[n];
    this.frameHashWrong = new boolean[n];
    this.proven = new boolean[n];
    this.implicated = new boolean[n];
  }

  /**
   * Checks every event on {@code threads} threads.
   *
   * @throws BundleStepException at the first event whose inclusion fails, or when an event entry is malformed
   */
  void run(int threads) {
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Thread(r, "bundle-verify");
      t.setDaemon(true);
      return t;
    }) : null;
    try {
      Parallel parallel = new Parallel(pool, threads);
      recordsAndRenderings(parallel);
      ranges();
      inclusionProofs(parallel);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    for (int i = 0; i < n; i++) {
      if (!proven[i] && !implicated[i] && i < inclusionFailure.index()) {
        inclusionFailure.offer(i, "no inclusion proof: leaf " + partitions[i] + "/" + leafIndexes[i]
            + " is in no complete range of leaves of this bundle, and " + manifest.events().inclusionProofs()
            + " has no proof for it");
        break;
      }
    }
    throwIfSet(inclusionFailure, "inclusion");
    if (countMismatch != null) {
      throw countMismatch;
    }
  }

  /** The first event that failed decoding or rendering, or null. */
  BundleStepException firstEventFailure() {
    return failure(eventFailure, "event");
  }

  /** SHA-256 (hex) of each event entry as it was read. */
  Map<String, String> streamedSha256() {
    return streamedSha256;
  }

  /** Events proven by recomputing a checkpoint's root from a complete range of leaves. */
  int provenByRange() {
    return provenByRange;
  }

  /** Events proven by their own inclusion proof. */
  int provenByProof() {
    return provenByProof;
  }

  /** Distinct config references, in order of the first event making each. */
  List<ConfigRef> configRefs() {
    List<ConfigRef> refs = new ArrayList<>(configRefs.values());
    refs.sort(Comparator.comparingInt(ConfigRef::event));
    return refs;
  }

  // ---- 1. records and renderings ----

  /** One batch of consecutive events: their record frames and rendering lines, copied out of the streams. */
  private static final class Batch {
    int first;
    int count;
    final BundleRecords.Growable records = new BundleRecords.Growable(BATCH * 1100);
    final int[] recordFrom = new int[BATCH];
    final int[] recordTo = new int[BATCH];
    final byte[] frameHashes = new byte[BATCH * TreeHashing.HASH];
    final BundleRecords.Growable lines = new BundleRecords.Growable(BATCH * 1200);
    final int[] lineFrom = new int[BATCH];
    final int[] lineTo = new int[BATCH]; // -1: no line

    void clear(int at) {
      first = at;
      count = 0;
      records.clear();
      lines.clear();
    }
  }

  private void recordsAndRenderings(Parallel parallel) {
    String recordsEntry = manifest.events().records();
    String renderingsEntry = manifest.events().renderings();
    long max = bundle.limits().maxStreamBytes();
    try (InputStream r = bundle.stream(recordsEntry); InputStream l = bundle.stream(renderingsEntry)) {
      BundleRecords.Reader records = new BundleRecords.Reader(r, max);
      BundleRecords.Reader lines = new BundleRecords.Reader(l, max);
      BlockingQueue<Batch> free = new ArrayBlockingQueue<>(parallel.inFlight() + 1);
      for (int i = 0; i <= parallel.inFlight(); i++) {
        free.add(new Batch());
      }
      byte[] header = new byte[BundleRecords.HEADER_BYTES];
      boolean linesLeft = true;
      for (int first = 0; first < n; first += BATCH) {
        Batch b = free.take();
        b.clear(first);
        for (int i = first; i < Math.min(n, first + BATCH); i++) {
          readFrame(records, recordsEntry, header, i, b);
          int k = i - first;
          if (linesLeft) {
            b.lineFrom[k] = b.lines.length;
            int length = lines.readLine(b.lines, MAX_LINE);
            linesLeft = length >= 0;
            b.lineTo[k] = linesLeft ? b.lines.length : -1;
          } else {
            b.lineTo[k] = -1;
          }
          b.count++;
        }
        parallel.submit(() -> {
          try {
            check(b);
          } finally {
            free.add(b);
          }
        });
      }
      parallel.await();
      if (!records.atEnd()) {
        throw new BundleStepException("manifest", "counts: " + Shown.text(recordsEntry) + " holds more than the " + n
            + " events the manifest counts");
      }
      if (linesLeft && lines.readLine(new BundleRecords.Growable(16), MAX_LINE) >= 0) {
        throw new BundleStepException("manifest", "counts: " + Shown.text(renderingsEntry) + " holds more lines than the "
            + n + " events the manifest counts");
      }
      streamedSha256.put(recordsEntry, HEX.formatHex(records.sha256()));
      streamedSha256.put(renderingsEntry, HEX.formatHex(lines.sha256()));
    } catch (IllegalArgumentException e) {
      throw new BundleStepException("bundle", Shown.text(e.getMessage()));
    } catch (IOException e) {
      throw new BundleStepException("bundle", "an event entry is damaged or unreadable (" + Shown.text(e.getMessage()) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BundleStepException("bundle", "interrupted");
    }
  }

  private void readFrame(BundleRecords.Reader in, String entry, byte[] header, int i, Batch b) throws IOException {
    if (!in.readFully(header, 0, header.length)) {
      throw new BundleStepException("manifest", "counts: " + Shown.text(entry) + " holds " + i + " events, the manifest counts " + n);
    }
    int partition = BundleRecords.getInt(header, 0);
    long leafIndex = BundleRecords.getLong(header, 4);
    int length = BundleRecords.getInt(header, 44);
    if (partition < 0 || leafIndex < 0 || length < 0 || length > BundleRecords.MAX_RECORD_BYTES) {
      throw new BundleStepException("bundle", Shown.text(entry) + ": frame " + i + " is malformed (partition "
          + partition + ", leaf " + leafIndex + ", length " + length + ")");
    }
    partitions[i] = partition;
    leafIndexes[i] = leafIndex;
    int k = i - b.first;
    System.arraycopy(header, 12, b.frameHashes, k * TreeHashing.HASH, TreeHashing.HASH);
    b.records.ensure(length);
    b.recordFrom[k] = b.records.length;
    if (!in.readFully(b.records.bytes, b.records.length, length)) {
      throw new BundleStepException("bundle", Shown.text(entry) + ": frame " + i + " is cut short");
    }
    b.records.length += length;
    b.recordTo[k] = b.records.length;
  }

  /** What one thread keeps for checking events. */
  private static final class Worker {
    final TreeHashing tree = new TreeHashing();
    final FastRendering fast = new FastRendering();
  }

  private void check(Batch b) {
    Worker w = workers.get();
    Map<String, ConfigRef> refs = new HashMap<>();
    String lastDigest = null;
    Long lastVersion = null;
    for (int k = 0; k < b.count; k++) {
      int i = b.first + k;
      byte[] rec = b.records.bytes;
      w.tree.leaf(rec, b.recordFrom[k], b.recordTo[k], leafHashes, i * TreeHashing.HASH);
      frameHashWrong[i] = !Arrays.equals(leafHashes, i * TreeHashing.HASH, (i + 1) * TreeHashing.HASH,
          b.frameHashes, k * TreeHashing.HASH, (k + 1) * TreeHashing.HASH);
      if (i >= eventFailure.index()) {
        continue; // the rendering step's outcome is decided: skip the work
      }
      if (b.lineTo[k] < 0) {
        eventFailure.offer(i, "no rendering: " + manifest.events().renderings() + " ends before this event");
        continue;
      }
      if (w.fast.render(rec, b.recordFrom[k], b.recordTo[k])) {
        if (!w.fast.renderingEquals(b.lines.bytes, b.lineFrom[k], b.lineTo[k])
            && !slowlyMatches(i, rec, b.recordFrom[k], b.recordTo[k], b.lines.bytes, b.lineFrom[k], b.lineTo[k], refs)) {
          continue;
        }
        if (w.fast.configDigest() != null && !(w.fast.configDigestIs(lastDigest)
            && java.util.Objects.equals(lastVersion, w.fast.configVersion()))) {
          lastDigest = w.fast.configDigest();
          lastVersion = w.fast.configVersion();
          refs.putIfAbsent(lastDigest + "@" + lastVersion, new ConfigRef(i, w.fast.id(), lastDigest, lastVersion));
        }
      } else {
        slowlyMatches(i, rec, b.recordFrom[k], b.recordTo[k], b.lines.bytes, b.lineFrom[k], b.lineTo[k], refs);
      }
    }
    refs.forEach((key, ref) -> configRefs.merge(key, ref, (a, c) -> a.event() <= c.event() ? a : c));
  }

  /** Decodes and renders the proper way; false (with the failure offered) when the rendering does not match. */
  private boolean slowlyMatches(int i, byte[] rec, int from, int to, byte[] lines, int lineFrom, int lineTo,
                                Map<String, ConfigRef> refs) {
    EvidenceEvent event;
    try {
      event = codec.decode(Arrays.copyOfRange(rec, from, to), EvidenceEvent.class);
    } catch (UndecodableEventException ex) {
      eventFailure.offer(i, "the record is not a decodable EvidenceEvent: " + Shown.text(ex.getMessage()));
      return false;
    }
    if (!EventRendering.matches(event, lines, lineFrom, lineTo)) {
      eventFailure.offer(i, "line " + (i + 1) + " of " + manifest.events().renderings()
          + " does not render the record (it was altered or belongs to another event)");
      return false;
    }
    if (event.getConfigDigest() != null) {
      refs.putIfAbsent(event.getConfigDigest() + "@" + event.getConfigVersion(),
          new ConfigRef(i, event.getId(), event.getConfigDigest(), event.getConfigVersion()));
    }
    return true;
  }

  // ---- 2. complete ranges ----

  private void ranges() {
    Map<Integer, long[]> byPartition = new HashMap<>();
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(partitions[i], 1, Integer::sum);
    }
    counts.forEach((p, c) -> byPartition.put(p, new long[c]));
    Map<Integer, Integer> filled = new HashMap<>();
    boolean packable = n < (1 << 23);
    for (int i = 0; i < n; i++) {
      packable &= leafIndexes[i] < (1L << 40);
    }
    if (!packable) {
      return; // beyond what a range is recomputed for here: every event needs its own proof
    }
    for (int i = 0; i < n; i++) {
      int at = filled.merge(partitions[i], 1, Integer::sum) - 1;
      byPartition.get(partitions[i])[at] = (leafIndexes[i] << 23) | i; // sorts by leaf index, then event
    }
    TreeHashing tree = new TreeHashing();
    byte[] root = new byte[TreeHashing.HASH];
    for (Map.Entry<Integer, long[]> e : byPartition.entrySet()) {
      long[] leaves = e.getValue();
      Arrays.sort(leaves);
      NavigableMap<Long, VerifiedCheckpoint> sizes = logs.getOrDefault(e.getKey(), new java.util.TreeMap<>());
      // The complete prefix: leaves 0..k-1 (each once; a leaf twice is refused outright), and the event of each.
      int[] prefix = new int[leaves.length];
      int k = 0;
      for (int j = 0; j < leaves.length; j++) {
        long leaf = leaves[j] >>> 23;
        int event = (int) (leaves[j] & ((1 << 23) - 1));
        if (j > 0 && leaf == leaves[j - 1] >>> 23) {
          int other = (int) (leaves[j - 1] & ((1 << 23) - 1));
          inclusionFailure.offer(Math.max(event, other), "leaf " + e.getKey() + "/" + leaf
              + " is in this bundle twice (also event " + Math.min(event, other) + ")");
          implicated[Math.max(event, other)] = true;
        } else if (leaf == k) {
          prefix[k++] = event;
        } else if (leaf > k) {
          break;
        }
      }
      Long last = sizes.floorKey((long) k);
      if (last == null || last == 0) {
        continue;
      }
      tree.reset();
      long provenBelow = 0;
      for (int j = 0; j < last; j++) {
        tree.append(leafHashes, prefix[j] * TreeHashing.HASH);
        VerifiedCheckpoint cp = sizes.get(tree.size());
        if (cp == null) {
          continue;
        }
        tree.root(root, 0);
        if (!Arrays.equals(root, cp.root())) {
          rangeFailure(e.getKey(), prefix, provenBelow, cp, root);
          break;
        }
        provenBelow = cp.treeSize();
      }
      for (int j = 0; j < provenBelow; j++) {
        int event = prefix[j];
        proven[event] = true;
        provenByRange++;
        if (frameHashWrong[event]) {
          inclusionFailure.offer(event, frameHashMessage(event));
        }
      }
    }
  }

  /**
   * The root of leaves [0, size) is not the checkpoint's, though every smaller checkpoint's was: a
   * record of [from, size) was altered, or its frame moved. Names the first event there whose
   * record does not hash to the leaf hash its frame lists, else the first event of that run.
   */
  private void rangeFailure(int partition, int[] prefix, long from, VerifiedCheckpoint cp, byte[] recomputed) {
    int named = Integer.MAX_VALUE;
    int lowest = Integer.MAX_VALUE;
    for (long j = from; j < cp.treeSize(); j++) {
      int event = prefix[(int) j];
      implicated[event] = true; // judged by this failure, not reported again as lacking a proof
      lowest = Math.min(lowest, event);
      if (frameHashWrong[event]) {
        named = Math.min(named, event);
      }
    }
    String where = "leaves [0, " + cp.treeSize() + ") of partition " + partition + " recompute to "
        + HEX.formatHex(recomputed) + ", the signed checkpoint of size " + cp.treeSize() + " has " + HEX.formatHex(cp.root());
    if (named != Integer.MAX_VALUE) {
      inclusionFailure.offer(named, "root mismatch (" + where + "; this event's record does not hash to the leaf hash "
          + "its frame lists: the record was altered)");
    } else {
      inclusionFailure.offer(lowest, "root mismatch (" + where + "; a record of leaves [" + from + ", " + cp.treeSize()
          + ") was altered or moved, with its frame's leaf hash)");
    }
  }

  private String frameHashMessage(int event) {
    return "leaf hash: the record hashes to " + HEX.formatHex(leafHashes, event * TreeHashing.HASH,
        (event + 1) * TreeHashing.HASH) + ", its frame in " + manifest.events().records() + " lists another";
  }

  // ---- 3. inclusion proofs ----

  private void inclusionProofs(Parallel parallel) {
    String entry = manifest.events().inclusionProofs();
    int expected = manifest.counts().inclusionProofs();
    if (expected < 0 || expected > n) {
      throw new BundleStepException("manifest", expected + " inclusion proofs counted for " + n + " events");
    }
    int[] eventOfLine = new int[expected];
    int linesRead;
    try (InputStream in = bundle.stream(entry)) {
      BundleRecords.Reader reader = new BundleRecords.Reader(in, bundle.limits().maxStreamBytes());
      int line = 0;
      while (true) {
        BundleRecords.Growable text = new BundleRecords.Growable(BATCH * 64);
        int[] from = new int[BATCH];
        int[] to = new int[BATCH];
        int count = 0;
        while (count < BATCH) {
          from[count] = text.length;
          if (reader.readLine(text, MAX_PROOF_LINE) < 0) {
            break;
          }
          to[count++] = text.length;
        }
        if (line + count > eventOfLine.length) {
          throw new BundleStepException("manifest", "counts: " + Shown.text(entry) + " holds more than the "
              + eventOfLine.length + " inclusion proofs the manifest counts");
        }
        int firstLine = line;
        int lines = count;
        parallel.submit(() -> {
          for (int k = 0; k < lines; k++) {
            eventOfLine[firstLine + k] = proof(firstLine + k, entry, text.bytes, from[k], to[k]);
          }
        });
        line += count;
        if (count < BATCH) {
          break;
        }
      }
      parallel.await();
      linesRead = line;
      if (line != expected) {
        // After the events' own verdicts: a removed proof is best named by the event it proved.
        countMismatch = new BundleStepException("manifest", "counts: " + Shown.text(entry) + " holds " + line
            + " inclusion proofs, the manifest counts " + expected);
      }
      streamedSha256.put(entry, HEX.formatHex(reader.sha256()));
    } catch (IllegalArgumentException e) {
      throw new BundleStepException("bundle", Shown.text(entry) + ": " + Shown.text(e.getMessage()));
    } catch (IOException e) {
      throw new BundleStepException("bundle", Shown.text(entry) + " is damaged or unreadable (" + Shown.text(e.getMessage()) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BundleStepException("bundle", "interrupted");
    }
    for (int k = 1; k < linesRead; k++) {
      if (eventOfLine[k] <= eventOfLine[k - 1]) {
        throw new BundleStepException("inclusion proofs (" + Shown.text(entry) + ")", "line " + (k + 1) + " is for event "
            + eventOfLine[k] + ", after a line for event " + eventOfLine[k - 1] + ": events must increase");
      }
    }
  }

  /** Verifies one proof line; returns the event it proves. */
  private int proof(int line, String entry, byte[] text, int from, int to) {
    BundleDocuments.InclusionLine p;
    try {
      p = PROOF_LINE.readValue(text, from, to - from);
    } catch (IOException | RuntimeException e) {
      throw new BundleStepException("inclusion proofs (" + Shown.text(entry) + ")", "line " + (line + 1)
          + " is not an inclusion proof: " + Shown.text(String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
    }
    int i = p.event();
    if (i < 0 || i >= n) {
      throw new BundleStepException("inclusion proofs (" + Shown.text(entry) + ")", "line " + (line + 1) + " is for event "
          + i + ", the bundle has " + n);
    }
    if (p.partition() != partitions[i] || p.leafIndex() != leafIndexes[i]) {
      inclusionFailure.offer(i, "the proof is for leaf " + p.partition() + "/" + p.leafIndex() + ", the record is leaf "
          + partitions[i] + "/" + leafIndexes[i]);
      return i;
    }
    VerifiedCheckpoint cp = checkpoints.get(p.checkpoint());
    BundleLayout.CheckpointName named = BundleLayout.parseCheckpoint(p.checkpoint());
    if (cp == null || named == null || named.partition() != p.partition()) {
      inclusionFailure.offer(i, "the proof is against " + Shown.text(p.checkpoint())
          + ", which is not a checkpoint of this bundle for partition " + p.partition());
      return i;
    }
    if (p.treeSize() != cp.treeSize()) {
      inclusionFailure.offer(i, "tree size: the proof is for size " + p.treeSize() + ", the checkpoint has " + cp.treeSize());
      return i;
    }
    byte[][] path = new byte[p.hashes().size()][];
    for (int h = 0; h < path.length; h++) {
      String hex = p.hashes().get(h);
      if (hex.length() != 2 * TreeHashing.HASH) {
        inclusionFailure.offer(i, "proof hash " + h + " is not 64 hex digits");
        return i;
      }
      try {
        path[h] = HEX.parseHex(hex);
      } catch (IllegalArgumentException ex) {
        inclusionFailure.offer(i, "proof hash " + h + " is not hex");
        return i;
      }
    }
    String failed = verifyInclusion(workers.get().tree, p.leafIndex(), cp.treeSize(), i, path, cp.root());
    if (failed != null) {
      inclusionFailure.offer(i, failed);
      return i;
    }
    if (frameHashWrong[i]) {
      inclusionFailure.offer(i, frameHashMessage(i));
      return i;
    }
    synchronized (proven) {
      if (!proven[i]) {
        proven[i] = true;
        provenByProof++;
      }
    }
    return i;
  }

  /** RFC 9162 §2.1.3.2 for event {@code event}'s leaf hash; null when it holds, else why not. */
  private String verifyInclusion(TreeHashing tree, long index, long size, int event, byte[][] path, byte[] root) {
    if (index >= size) {
      return "leaf index " + index + " is not below the tree size " + size;
    }
    byte[] r = Arrays.copyOfRange(leafHashes, event * TreeHashing.HASH, (event + 1) * TreeHashing.HASH);
    long fn = index;
    long sn = size - 1;
    for (byte[] p : path) {
      if (sn == 0) {
        return "proof length: " + path.length + " hashes, more than leaf " + index + " of a tree of size " + size + " needs";
      }
      if ((fn & 1) == 1 || fn == sn) {
        tree.node(p, 0, r, 0, r, 0);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        tree.node(r, 0, p, 0, r, 0);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      return "proof length: " + path.length + " hashes, fewer than leaf " + index + " of a tree of size " + size + " needs";
    }
    if (!Arrays.equals(r, root)) {
      return "root mismatch (the proof gives " + HEX.formatHex(r) + ", the checkpoint has " + HEX.formatHex(root) + ")";
    }
    return null;
  }

  // ---- failures ----

  /** MerkleVerifier's step names the part that failed; a root that does not match is the classic tamper sign. */
  static String describe(dev.quartet.evidence.domain.merkle.Verification.Failed f) {
    return f.step().startsWith("root") ? f.step() + " mismatch (" + f.reason() + ")" : f.step() + ": " + f.reason();
  }

  private void throwIfSet(FirstFailure f, String kind) {
    BundleStepException e = failure(f, kind);
    if (e != null) {
      throw e;
    }
  }

  private BundleStepException failure(FirstFailure f, String kind) {
    int i = f.index();
    return i == Integer.MAX_VALUE ? null : new BundleStepException(kind + "[" + i + "] (event " + Shown.text(idOf(i)) + ")", f.reason());
  }

  /**
   * The id of event {@code i} for a failure message: from its rendering line (what an auditor reads),
   * else its decoded record, else "?". Reads the entries again, so only for failures.
   */
  private String idOf(int i) {
    try (InputStream in = bundle.stream(manifest.events().renderings())) {
      BundleRecords.Reader lines = new BundleRecords.Reader(in, bundle.limits().maxStreamBytes());
      BundleRecords.Growable line = new BundleRecords.Growable(4096);
      for (int k = 0; k <= i; k++) {
        line.clear();
        if (lines.readLine(line, MAX_LINE) < 0) {
          break;
        }
        if (k == i) {
          var id = BundleDocuments.JSON.readTree(line.bytes, 0, line.length).path("id");
          if (id.isTextual()) {
            return id.asText();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the record
    }
    try (InputStream in = bundle.stream(manifest.events().records())) {
      BundleRecords.Reader records = new BundleRecords.Reader(in, bundle.limits().maxStreamBytes());
      byte[] header = new byte[BundleRecords.HEADER_BYTES];
      for (int k = 0; k <= i; k++) {
        if (!records.readFully(header, 0, header.length)) {
          return "?";
        }
        int length = BundleRecords.getInt(header, 44);
        if (length < 0 || length > BundleRecords.MAX_RECORD_BYTES) {
          return "?";
        }
        byte[] rec = new byte[length];
        if (!records.readFully(rec, 0, length)) {
          return "?";
        }
        if (k == i) {
          return codec.decode(rec, EvidenceEvent.class).getId();
        }
      }
    } catch (IOException | RuntimeException | UndecodableEventException e) {
      return "?";
    }
    return "?";
  }

  /** The failure at the lowest event index offered so far, from any worker. */
  private static final class FirstFailure {
    private volatile int index = Integer.MAX_VALUE;
    private String reason;

    int index() {
      return index;
    }

    synchronized String reason() {
      return reason;
    }

    synchronized void offer(int at, String why) {
      if (at < index) {
        index = at;
        reason = why;
      }
    }
  }

  /** Runs batches on the pool (or on this thread when there is none), at most a few in flight. */
  private static final class Parallel {
    private final ExecutorService pool;
    private final Semaphore slots;
    private final int inFlight;
    private final AtomicReference<RuntimeException> crashed = new AtomicReference<>();

    Parallel(ExecutorService pool, int threads) {
      this.pool = pool;
      this.inFlight = pool == null ? 1 : 2 * (threads - 1);
      this.slots = new Semaphore(inFlight);
    }

    int inFlight() {
      return inFlight;
    }

    void submit(Runnable batch) throws InterruptedException {
      rethrow();
      if (pool == null) {
        batch.run();
        return;
      }
      slots.acquire();
      pool.execute(() -> {
        try {
          batch.run();
        } catch (RuntimeException e) {
          crashed.compareAndSet(null, e); // never let a dead worker pass for a verified batch
        } finally {
          slots.release();
        }
      });
    }

    void await() throws InterruptedException {
      if (pool != null) {
        if (!slots.tryAcquire(inFlight, 1, TimeUnit.HOURS)) {
          throw new IllegalStateException("bundle verification workers did not finish");
        }
        slots.release(inFlight);
      }
      rethrow();
    }

    private void rethrow() {
      RuntimeException e = crashed.get();
      if (e != null) {
        throw e;
      }
    }
  }
}

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
 * number of threads; inclusion failures come before rendering failures. The SHA-256 of the frame
 * headers is taken as they are read, for the manifest step; the records are bound by their leaf
 * hashes, the renderings by rendering their records, the proofs by what they prove.
 */
final class BundleEventChecks {
  /** A checkpoint whose signed note verified: the log it belongs to, its size and root. */
  record VerifiedCheckpoint(String origin, long treeSize, byte[] root) {}

  /** The first event referencing config {@code digest} (at {@code version}, if it says). */
  record ConfigRef(int event, String eventId, String digest, Long version) {}

  private static final int BATCH = 2048;
  /** A batch stops taking events once its records or its lines reach this many bytes. */
  private static final int BATCH_BYTES = 64 * 1024 * 1024;
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
  private String framesSha256;
  /** The partition each checkpoint entry's name states. */
  private final Map<String, Integer> checkpointPartitions = new HashMap<>();
  private final FirstFailure inclusionFailure = new FirstFailure();
  private final FirstFailure eventFailure = new FirstFailure();
  private final ThreadLocal<Worker> workers = ThreadLocal.withInitial(Worker::new);
  private BundleStepException countMismatch;
  private BundleStepException renderingsOverrun;
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
    checkpoints.keySet().forEach(name -> {
      BundleLayout.CheckpointName named = BundleLayout.parseCheckpoint(name);
      if (named != null) {
        checkpointPartitions.put(name, named.partition());
      }
    });
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
      ranges(parallel);
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

  /** When the renderings entry holds bytes after the last event's line (to report after {@link #firstEventFailure()}), else null. */
  BundleStepException renderingsOverrun() {
    return renderingsOverrun;
  }

  /** SHA-256 (hex) of the records entry's frame headers as they were read (see {@link BundleRecords#headersSha256()}). */
  String framesSha256() {
    return framesSha256;
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
    final BundleRecords.Growable lines = new BundleRecords.Growable(BATCH * 1400);
    final int[] lineFrom = new int[BATCH];
    final int[] lineTo = new int[BATCH]; // -1: no line (the entry ended first); else the newline's position

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
      java.security.MessageDigest headers = BundleRecords.headersSha256();
      BlockingQueue<Batch> free = new ArrayBlockingQueue<>(parallel.inFlight() + 1);
      for (int i = 0; i <= parallel.inFlight(); i++) {
        free.add(new Batch());
      }
      byte[] header = new byte[BundleRecords.HEADER_BYTES];
      boolean linesLeft = true;
      int first = 0;
      while (first < n) {
        Batch b = free.take();
        b.clear(first);
        int limit = Math.min(n, first + BATCH);
        long lineBytes = 0;
        // At most BATCH events, and a batch ends early once it holds BATCH_BYTES (events may be large).
        for (int i = first; i < limit && lineBytes < BATCH_BYTES && b.records.length < BATCH_BYTES; i++) {
          int k = i - first;
          int renderingLength = readFrame(records, recordsEntry, header, i, b);
          headers.update(header, 0, header.length);
          b.lineFrom[k] = (int) lineBytes;
          lineBytes += renderingLength;
          b.lineTo[k] = (int) lineBytes; // where its newline must be
          lineBytes++;
          b.count++;
        }
        int count = b.count;
        first += count;
        // The batch's rendering lines in one read, cut where the frames say; the workers check every cut is a newline.
        int got = 0;
        while (linesLeft && got < lineBytes) {
          // Grown as bytes arrive, never on the frames' word alone (they are untrusted).
          int want = (int) Math.min(lineBytes - got, 4 << 20);
          b.lines.ensure(want);
          int read = lines.read(b.lines.bytes, got, want);
          got += read;
          b.lines.length = got;
          linesLeft = read == want;
        }
        for (int k = 0; k < count && got < lineBytes; k++) {
          if (b.lineTo[k] >= got) {
            b.lineTo[k] = -1;
          }
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
      if (linesLeft && !lines.atEnd()) {
        // After the events' own verdicts: a line longer than its frame says is best named by its event.
        renderingsOverrun = new BundleStepException("manifest", "counts: " + Shown.text(renderingsEntry)
            + " holds more than the " + n + " lines of the " + n + " events the manifest counts");
      }
      framesSha256 = HEX.formatHex(headers.digest());
    } catch (IllegalArgumentException e) {
      throw new BundleStepException("bundle", Shown.text(e.getMessage()));
    } catch (IOException e) {
      throw new BundleStepException("bundle", "an event entry is damaged or unreadable (" + Shown.text(e.getMessage()) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BundleStepException("bundle", "interrupted");
    }
  }

  /** Reads frame {@code i} into {@code b}; returns the length of its rendering line the frame announces. */
  private int readFrame(BundleRecords.Reader in, String entry, byte[] header, int i, Batch b) throws IOException {
    if (!in.readFully(header, 0, header.length)) {
      throw new BundleStepException("manifest", "counts: " + Shown.text(entry) + " holds " + i + " events, the manifest counts " + n);
    }
    int partition = BundleRecords.getInt(header, BundleRecords.PARTITION_AT);
    long leafIndex = BundleRecords.getLong(header, BundleRecords.LEAF_INDEX_AT);
    int length = BundleRecords.getInt(header, BundleRecords.LENGTH_AT);
    int renderingLength = BundleRecords.getInt(header, BundleRecords.RENDERING_LENGTH_AT);
    if (partition < 0 || leafIndex < 0 || length < 0 || length > BundleRecords.MAX_RECORD_BYTES
        || renderingLength < 0 || renderingLength > BundleRecords.MAX_RENDERING_BYTES) {
      throw new BundleStepException("bundle", Shown.text(entry) + ": frame " + i + " is malformed (partition "
          + partition + ", leaf " + leafIndex + ", length " + length + ", rendering length " + renderingLength + ")");
    }
    partitions[i] = partition;
    leafIndexes[i] = leafIndex;
    int k = i - b.first;
    System.arraycopy(header, BundleRecords.LEAF_HASH_AT, b.frameHashes, k * TreeHashing.HASH, TreeHashing.HASH);
    b.records.ensure(length);
    b.recordFrom[k] = b.records.length;
    if (!in.readFully(b.records.bytes, b.records.length, length)) {
      throw new BundleStepException("bundle", Shown.text(entry) + ": frame " + i + " is cut short");
    }
    b.records.length += length;
    b.recordTo[k] = b.records.length;
    return renderingLength;
  }

  /** What one thread keeps for checking events. */
  private static final class Worker {
    final TreeHashing tree = new TreeHashing();
    final FastRendering fast = new FastRendering();
    final ProofLine proof = new ProofLine();
  }

  private void check(Batch b) {
    Worker w = workers.get();
    Map<String, ConfigRef> refs = new HashMap<>();
    byte[] lastDigest = null;
    boolean lastHasVersion = false;
    long lastVersion = 0;
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
        eventFailure.offer(i, "no rendering: " + manifest.events().renderings() + " ends before this event's line does");
        continue;
      }
      if (b.lines.bytes[b.lineTo[k]] != '\n') {
        eventFailure.offer(i, "line " + (i + 1) + " of " + manifest.events().renderings() + " is not the "
            + (b.lineTo[k] - b.lineFrom[k]) + " bytes its frame in " + manifest.events().records()
            + " says (it was altered, or a line before it was)");
        continue;
      }
      if (w.fast.render(rec, b.recordFrom[k], b.recordTo[k])) {
        if (!w.fast.renderingEquals(b.lines.bytes, b.lineFrom[k], b.lineTo[k])
            && !slowlyMatches(i, rec, b.recordFrom[k], b.recordTo[k], b.lines.bytes, b.lineFrom[k], b.lineTo[k], refs)) {
          continue;
        }
        // Runs of events name the same config: only a change is looked up.
        if (w.fast.hasConfigDigest() && !(w.fast.configDigestIs(lastDigest) && w.fast.configVersionIs(lastHasVersion, lastVersion))) {
          lastDigest = w.fast.configDigestBytes();
          Long version = w.fast.configVersion();
          lastHasVersion = version != null;
          lastVersion = lastHasVersion ? version : 0;
          String digest = w.fast.configDigest();
          refs.putIfAbsent(digest + "@" + version, new ConfigRef(i, w.fast.id(), digest, version));
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
    // The fast rendering never holds a newline; this road compares JSON values, so it must look itself.
    if (indexOfNewline(lines, lineFrom, lineTo) >= 0 || !EventRendering.matches(event, lines, lineFrom, lineTo)) {
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

  private static int indexOfNewline(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  // ---- 2. complete ranges ----

  private void ranges(Parallel parallel) {
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
      // Aligned chunks of leaves with no checkpoint inside are hashed into subtrees on every thread first.
      int height = chunkHeight(last, parallel.threads());
      long width = 1L << height;
      byte[] chunks = chunkRoots(parallel, prefix, last, height, sizes);
      tree.reset();
      long provenBelow = 0;
      for (long j = 0; j < last; ) {
        if (chunks != null && (j & (width - 1)) == 0 && j + width <= last && sizes.subMap(j, false, j + width, false).isEmpty()) {
          tree.appendSubtree(chunks, (int) (j >>> height) * TreeHashing.HASH, height);
          j += width;
        } else {
          tree.append(leafHashes, prefix[(int) j] * TreeHashing.HASH);
          j++;
        }
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

  /** Chunks of {@code 2^height} leaves: about eight per thread, none below 16 leaves (0: no chunks). */
  static int chunkHeight(long leaves, int threads) {
    long width = Long.highestOneBit(Math.max(1, leaves / (8L * Math.max(1, threads))));
    return width < 16 ? 0 : Long.numberOfTrailingZeros(width);
  }

  /**
   * The Merkle Tree Hash of each aligned chunk of {@code 2^height} leaves of {@code prefix} below
   * {@code last} with no checkpoint size strictly inside it, computed on the pool; null for no chunks.
   */
  private byte[] chunkRoots(Parallel parallel, int[] prefix, long last, int height,
                            NavigableMap<Long, VerifiedCheckpoint> sizes) {
    if (height == 0) {
      return null;
    }
    long width = 1L << height;
    int count = (int) (last >>> height);
    byte[] roots = new byte[count * TreeHashing.HASH];
    try {
      for (int c = 0; c < count; c++) {
        long from = (long) c << height;
        if (!sizes.subMap(from, false, from + width, false).isEmpty()) {
          continue; // hashed leaf by leaf, so the checkpoint inside is compared
        }
        int chunk = c;
        parallel.submit(() -> {
          TreeHashing t = workers.get().tree;
          t.reset();
          for (long j = from; j < from + width; j++) {
            t.append(leafHashes, prefix[(int) j] * TreeHashing.HASH);
          }
          t.root(roots, chunk * TreeHashing.HASH);
        });
      }
      parallel.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BundleStepException("bundle", "interrupted");
    }
    return roots;
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
      // Batches of lines are reused: as many as can be in flight, plus the one being filled.
      BlockingQueue<Batch> free = new ArrayBlockingQueue<>(parallel.inFlight() + 1);
      for (int i = 0; i <= parallel.inFlight(); i++) {
        free.add(new Batch());
      }
      int line = 0;
      while (true) {
        Batch b = free.take();
        b.clear(line);
        BundleRecords.Growable text = b.lines;
        int[] from = b.lineFrom;
        int[] to = b.lineTo;
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
          try {
            for (int k = 0; k < lines; k++) {
              eventOfLine[firstLine + k] = proof(firstLine + k, entry, text.bytes, from[k], to[k]);
            }
          } finally {
            free.add(b);
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
    Worker w = workers.get();
    ProofLine p = w.proof;
    if (!p.parse(text, from, to)) {
      BundleDocuments.InclusionLine slow;
      try {
        slow = PROOF_LINE.readValue(text, from, to - from);
      } catch (IOException | RuntimeException e) {
        throw new BundleStepException("inclusion proofs (" + Shown.text(entry) + ")", "line " + (line + 1)
            + " is not an inclusion proof: " + Shown.text(String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
      }
      p.set(slow);
    }
    int i = p.event;
    if (i < 0 || i >= n) {
      throw new BundleStepException("inclusion proofs (" + Shown.text(entry) + ")", "line " + (line + 1) + " is for event "
          + i + ", the bundle has " + n);
    }
    if (p.partition != partitions[i] || p.leafIndex != leafIndexes[i]) {
      inclusionFailure.offer(i, "the proof is for leaf " + p.partition + "/" + p.leafIndex + ", the record is leaf "
          + partitions[i] + "/" + leafIndexes[i]);
      return i;
    }
    VerifiedCheckpoint cp = checkpoints.get(p.checkpoint);
    Integer named = checkpointPartitions.get(p.checkpoint);
    if (cp == null || named == null || named != p.partition) {
      inclusionFailure.offer(i, "the proof is against " + Shown.text(p.checkpoint)
          + ", which is not a checkpoint of this bundle for partition " + p.partition);
      return i;
    }
    if (p.treeSize != cp.treeSize()) {
      inclusionFailure.offer(i, "tree size: the proof is for size " + p.treeSize + ", the checkpoint has " + cp.treeSize());
      return i;
    }
    if (p.badHash != null) {
      inclusionFailure.offer(i, p.badHash);
      return i;
    }
    String failed = verifyInclusion(w.tree, p.leafIndex, cp.treeSize(), i, p.path, p.hashes, cp.root());
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

  /**
   * One inclusion proof line, parsed without objects where it is written as export writes it
   * ({@code {"event":N,"partition":N,"leafIndex":N,"treeSize":N,"hashes":["64 hex",…],"checkpoint":"…"}},
   * lowercase hex, plain numbers, a plain ASCII checkpoint name); anything else is left to the JSON
   * reader, which has the last word. Reused: one per thread.
   */
  static final class ProofLine {
    private static final byte[] EVENT = ascii("{\"event\":");
    private static final byte[] PARTITION = ascii(",\"partition\":");
    private static final byte[] LEAF_INDEX = ascii(",\"leafIndex\":");
    private static final byte[] TREE_SIZE = ascii(",\"treeSize\":");
    private static final byte[] HASHES = ascii(",\"hashes\":[");
    private static final byte[] CHECKPOINT = ascii("],\"checkpoint\":\"");
    /** Per byte its value as a lowercase hex digit, else -1. */
    private static final byte[] NIBBLES = nibbles();
    int event;
    int partition;
    long leafIndex;
    long treeSize;
    /** The proof's hashes, 32 bytes each, back to back. */
    byte[] path = new byte[64 * TreeHashing.HASH];
    int hashes;
    String checkpoint;
    /** Why a hash of a proof read by the JSON reader is not one, or null. */
    String badHash;
    private byte[] in;
    private int pos;
    private int end;

    /** True when {@code text[from, to)} is a proof line written the plain way, now held here. */
    boolean parse(byte[] text, int from, int to) {
      in = text;
      pos = from;
      end = to;
      badHash = null;
      hashes = 0;
      if (!token(EVENT)) {
        return false;
      }
      long e = number();
      if (e < 0 || e > Integer.MAX_VALUE || !token(PARTITION)) {
        return false;
      }
      long p = number();
      if (p < 0 || p > Integer.MAX_VALUE || !token(LEAF_INDEX)) {
        return false;
      }
      leafIndex = number();
      if (leafIndex < 0 || !token(TREE_SIZE)) {
        return false;
      }
      treeSize = number();
      if (treeSize < 0 || !token(HASHES)) {
        return false;
      }
      event = (int) e;
      partition = (int) p;
      if (pos < end && in[pos] == '"') {
        while (true) {
          if (!hash()) {
            return false;
          }
          if (pos >= end || in[pos] != ',') {
            break;
          }
          pos++;
        }
      }
      if (!token(CHECKPOINT)) {
        return false;
      }
      int name = pos;
      while (pos < end && in[pos] >= 0x20 && in[pos] != '"' && in[pos] != '\\') {
        pos++;
      }
      if (end - pos != 2 || in[pos] != '"' || in[pos + 1] != '}') {
        return false;
      }
      checkpoint = new String(in, name, pos - name, java.nio.charset.StandardCharsets.ISO_8859_1);
      return true;
    }

    /** Takes a line the JSON reader parsed. */
    void set(BundleDocuments.InclusionLine line) {
      event = line.event();
      partition = line.partition();
      leafIndex = line.leafIndex();
      treeSize = line.treeSize();
      checkpoint = line.checkpoint();
      badHash = null;
      hashes = 0;
      for (int h = 0; h < line.hashes().size(); h++) {
        String hex = line.hashes().get(h);
        if (hex.length() != 2 * TreeHashing.HASH) {
          badHash = "proof hash " + h + " is not 64 hex digits";
          return;
        }
        byte[] bytes;
        try {
          bytes = HEX.parseHex(hex);
        } catch (IllegalArgumentException ex) {
          badHash = "proof hash " + h + " is not hex";
          return;
        }
        grow();
        System.arraycopy(bytes, 0, path, hashes * TreeHashing.HASH, TreeHashing.HASH);
        hashes++;
      }
    }

    private boolean token(byte[] t) {
      if (end - pos < t.length || !Arrays.equals(in, pos, pos + t.length, t, 0, t.length)) {
        return false;
      }
      pos += t.length;
      return true;
    }

    /** A plain non-negative decimal (no sign, no leading zero, at most 18 digits), else -1. */
    private long number() {
      int start = pos;
      long v = 0;
      while (pos < end && in[pos] >= '0' && in[pos] <= '9' && pos - start < 18) {
        v = v * 10 + (in[pos++] - '0');
      }
      int digits = pos - start;
      if (digits == 0 || (digits > 1 && in[start] == '0') || (pos < end && in[pos] >= '0' && in[pos] <= '9')) {
        return -1;
      }
      return v;
    }

    /** A quoted 64-digit lowercase hex hash, appended to {@link #path}. */
    private boolean hash() {
      if (end - pos < 2 * TreeHashing.HASH + 2 || in[pos + 2 * TreeHashing.HASH + 1] != '"') {
        return false;
      }
      grow();
      int at = hashes * TreeHashing.HASH;
      for (int k = 0; k < TreeHashing.HASH; k++) {
        int hi = nibble(in[pos + 1 + 2 * k]);
        int lo = nibble(in[pos + 2 + 2 * k]);
        if ((hi | lo) < 0) {
          return false;
        }
        path[at + k] = (byte) (hi << 4 | lo);
      }
      hashes++;
      pos += 2 * TreeHashing.HASH + 2;
      return true;
    }

    private void grow() {
      if ((hashes + 1) * TreeHashing.HASH > path.length) {
        path = Arrays.copyOf(path, path.length * 2);
      }
    }

    private static int nibble(byte c) {
      return NIBBLES[c & 0xff];
    }

    private static byte[] nibbles() {
      byte[] t = new byte[256];
      java.util.Arrays.fill(t, (byte) -1);
      for (int c = '0'; c <= '9'; c++) {
        t[c] = (byte) (c - '0');
      }
      for (int c = 'a'; c <= 'f'; c++) {
        t[c] = (byte) (c - 'a' + 10);
      }
      return t;
    }

    private static byte[] ascii(String s) {
      return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  /** RFC 9162 §2.1.3.2 for event {@code event}'s leaf hash; null when it holds, else why not. */
  private String verifyInclusion(TreeHashing tree, long index, long size, int event, byte[] path, int count, byte[] root) {
    if (index >= size) {
      return "leaf index " + index + " is not below the tree size " + size;
    }
    byte[] r = Arrays.copyOfRange(leafHashes, event * TreeHashing.HASH, (event + 1) * TreeHashing.HASH);
    long fn = index;
    long sn = size - 1;
    for (int h = 0; h < count; h++) {
      int p = h * TreeHashing.HASH;
      if (sn == 0) {
        return "proof length: " + count + " hashes, more than leaf " + index + " of a tree of size " + size + " needs";
      }
      if ((fn & 1) == 1 || fn == sn) {
        tree.node(path, p, r, 0, r, 0);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        tree.node(r, 0, path, p, r, 0);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      return "proof length: " + count + " hashes, fewer than leaf " + index + " of a tree of size " + size + " needs";
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
        int length = BundleRecords.getInt(header, BundleRecords.LENGTH_AT);
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

  /**
   * Runs batches on the pool, at most a few in flight, or on this thread when there is no pool or
   * every slot is taken (so the reading thread verifies too, and {@code threads} threads do all the work).
   */
  private static final class Parallel {
    private final ExecutorService pool;
    private final Semaphore slots;
    private final int inFlight;
    private final int threads;
    private final AtomicReference<RuntimeException> crashed = new AtomicReference<>();

    Parallel(ExecutorService pool, int threads) {
      this.pool = pool;
      this.threads = threads;
      this.inFlight = pool == null ? 1 : 2 * (threads - 1);
      this.slots = new Semaphore(inFlight);
    }

    int inFlight() {
      return inFlight;
    }

    /** Threads checking batches: the pool's and this one. */
    int threads() {
      return threads;
    }

    void submit(Runnable batch) throws InterruptedException {
      rethrow();
      if (pool == null) {
        batch.run();
        return;
      }
      if (!slots.tryAcquire()) {
        batch.run(); // every worker is busy: this thread checks the batch itself rather than wait (one thread per core)
        rethrow();
        return;
      }
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

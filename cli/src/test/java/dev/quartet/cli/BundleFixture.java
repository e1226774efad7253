package dev.quartet.cli;

import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.Ed25519PublicKey;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.evidence.domain.CheckpointSigner;
import dev.quartet.evidence.domain.EvidenceCheckpoint;
import dev.quartet.evidence.domain.merkle.CompactRange;
import dev.quartet.evidence.domain.merkle.ConsistencyProof;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.domain.merkle.LeafHashes;
import dev.quartet.evidence.domain.merkle.MerkleProver;
import dev.quartet.evidence.domain.note.NoteSigner;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.Plane;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Builds a real bundle without a server, as export lays it out: one partition's log of
 * {@code logSize} events of which every {@code stride}-th from leaf {@code firstLeaf} is selected;
 * where the selection holds every leaf below a checkpoint's size those events are proven by that
 * checkpoint (whole-tree recompute), every other one by an inclusion proof against the first
 * checkpoint (every {@code checkpointEvery} leaves, plus the last) that includes it; all checkpoints,
 * consistency proofs between them; one signed config snapshot the events reference, and one digest listed missing.
 */
final class BundleFixture {
  static final String ORIGIN_PREFIX = "test.quartet.dev/evidence/";
  static final String KEY_NAME = "test.quartet.dev/evidence";
  static final String SCOPE = "acme/dev";
  static final String MISSING_DIGEST = "ab".repeat(32);
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final EventCodec CODEC = EventCodec.standard();

  final AdminKeyPair admin = AdminKeyPair.fromSeed(filled(1));
  final NoteSigner logKey = NoteSigner.of(KEY_NAME, filled(2));
  final List<String> selectedIds = new ArrayList<>();
  final byte[] trustJson;
  final Path bundle;
  final DsseEnvelope snapshot;
  /** Events the whole-tree recompute proves (the others carry inclusion proofs). */
  final int provenByRange;

  /** The default fixture: a log of 10 events, leaves 1, 4 and 7 selected, checkpoints at sizes 4, 8 and 10. */
  BundleFixture(Path dir) throws IOException {
    this(dir, 10, 3, 4);
  }

  BundleFixture(Path dir, int logSize, int stride, int checkpointEvery) throws IOException {
    this(dir, logSize, 1, stride, checkpointEvery);
  }

  BundleFixture(Path dir, int logSize, int firstLeaf, int stride, int checkpointEvery) throws IOException {
    this(dir, logSize, firstLeaf, stride, checkpointEvery, logSize, false);
  }

  /**
   * @param selectBelow only leaves below this are selected
   * @param forceProofs every event gets an inclusion proof, complete range or not (verify must agree)
   */
  BundleFixture(Path dir, int logSize, int firstLeaf, int stride, int checkpointEvery, int selectBelow,
                boolean forceProofs) throws IOException {
    trustJson = trustRoot(Set.of(new Ed25519PublicKey(logKey.verifier().publicKey()))).toJsonFile();
    snapshot = Dsse.sign(ConfigDocuments.PAYLOAD_TYPE, CanonicalJson.serialize(Map.of("scope", SCOPE, "version", 1,
        "parent", "", "expiresAt", "2030-01-01T00:00:00Z", "body", Map.of())), admin);
    String digest = BundleWriter.sha256Hex(snapshot.payload());
    List<EvidenceEvent> log = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    List<byte[]> leaves = new ArrayList<>();
    int lastSelected = firstLeaf + (selectBelow - 1 - firstLeaf) / stride * stride;
    for (int i = 0; i < logSize; i++) {
      boolean missing = i == lastSelected; // its config version is one export could not get
      log.add(event("event-" + i, missing ? MISSING_DIGEST : digest, missing ? 7L : 1L));
      byte[] value = CODEC.encode(log.get(i));
      values.add(value);
      leaves.add(LeafHash.of(value));
    }
    LeafHashes hashes = LeafHashes.of(leaves);
    ProofTree proofs = new ProofTree(leaves);
    CheckpointSigner signer = new CheckpointSigner(ORIGIN_PREFIX + "0", logKey);
    TreeMap<Long, EvidenceCheckpoint> checkpoints = new TreeMap<>();
    CompactRange tree = CompactRange.empty();
    for (int i = 0; i < logSize; i++) {
      tree = tree.append(leaves.get(i));
      if (tree.size() % checkpointEvery == 0 || tree.size() == logSize) {
        checkpoints.put(tree.size(), signer.sign(tree));
      }
    }
    List<BundleCoverage.Leaf> selected = new ArrayList<>();
    for (int leaf = firstLeaf; leaf < selectBelow; leaf += stride) {
      selected.add(new BundleCoverage.Leaf(0, leaf));
    }
    long complete = BundleCoverage.completeSizes(selected, Map.of(0, new java.util.TreeSet<>(checkpoints.keySet())))
        .getOrDefault(0, 0L);
    if (forceProofs) {
      complete = 0;
    }
    int covered = 0;
    bundle = dir.resolve("bundle.zip");
    try (BundleWriter w = BundleWriter.create(bundle)) {
      w.add(BundleLayout.KEYS, BundleDocuments.write(new BundleDocuments.KeysFile(ORIGIN_PREFIX, List.of(
          new BundleDocuments.Key(KEY_NAME, String.format("%08x", logKey.keyId()), logKey.verifier().vkey(),
              java.util.Base64.getEncoder().encodeToString(logKey.verifier().publicKey()), "unused")))));
      List<String> checkpointEntries = new ArrayList<>();
      for (EvidenceCheckpoint c : checkpoints.values()) {
        String entry = BundleLayout.checkpoint(0, c.treeSize());
        w.add(entry, c.signedNote().getBytes(StandardCharsets.UTF_8));
        checkpointEntries.add(entry);
      }
      List<String> consistency = new ArrayList<>();
      Long previous = null;
      for (long size : checkpoints.keySet()) {
        if (previous != null) {
          ConsistencyProof p = MerkleProver.consistency(hashes, previous, size);
          String entry = BundleLayout.consistency(0, previous, size);
          w.add(entry, BundleDocuments.write(new BundleDocuments.ConsistencyFile(0, previous, size, hex(p.hashes()),
              BundleLayout.checkpoint(0, previous), BundleLayout.checkpoint(0, size))));
          consistency.add(entry);
        }
        previous = size;
      }
      for (BundleCoverage.Leaf l : selected) {
        int leaf = (int) l.leafIndex();
        EvidenceEvent decoded = log.get(leaf);
        int n = w.event(0, leaf, leaves.get(leaf), values.get(leaf), EventRendering.of(decoded));
        if (leaf < complete) {
          covered++;
        } else {
          long size = checkpoints.ceilingKey((long) leaf + 1);
          w.inclusion(new BundleDocuments.InclusionLine(n, 0, leaf, size, hex(proofs.inclusion(leaf, size)),
              BundleLayout.checkpoint(0, size)));
        }
        selectedIds.add(decoded.getId());
      }
      provenByRange = covered;
      String snapshotEntry = BundleLayout.config(SCOPE, 1);
      w.add(snapshotEntry, snapshot.toJson());
      List<BundleManifest.MissingConfig> missing = List.of(new BundleManifest.MissingConfig(SCOPE, 7L, MISSING_DIGEST,
          "control plane unavailable: test"));
      List<BundleManifest.ConfigSnapshot> snapshots = List.of(new BundleManifest.ConfigSnapshot(SCOPE, 1, digest, snapshotEntry));
      w.finish(new BundleManifest(BundleLayout.FORMAT, NOW.toString(), Map.of("correlation", "c-1"),
          new BundleManifest.Counts(w.events(), w.inclusionProofs(), checkpointEntries.size(), consistency.size(), 1, 1),
          BundleLayout.KEYS, BundleManifest.Events.standard(), checkpointEntries, consistency, snapshots, missing, Map.of()),
          logKey);
    }
  }

  /** A trust root with the fixture's admin and these checkpoint keys, self-signed. */
  DsseEnvelope trustRoot(Set<Ed25519PublicKey> checkpointKeys) {
    Map<String, Integer> thresholds = new TreeMap<>();
    TrustRoot.PRIVILEGED_SCOPES.forEach(s -> thresholds.put(s, 1));
    return new TrustRoot(1, Instant.parse("2030-01-01T00:00:00Z"), Set.of(admin.publicKey()), 1, thresholds, Set.of(),
        checkpointKeys).signedBy(List.of(admin));
  }

  private static EvidenceEvent event(String correlation, String configDigest, long configVersion) {
    return EvidenceEvent.newBuilder()
        .setId(java.util.UUID.nameUUIDFromBytes(correlation.getBytes(StandardCharsets.UTF_8)).toString())
        .setType("bundle.test").setTenant("acme").setCorrelationId(correlation)
        .setConfigVersion(configVersion).setConfigDigest(configDigest)
        .setOutcome("RECORDED").setOccurredAt(NOW).setApprovals(List.of()).setArtifactDigests(Map.of("out", "00".repeat(32)))
        .setProducerPlane(Plane.EVIDENCE).setProducerVersion("test").setAttributes(Map.of("scope", SCOPE))
        .build();
  }

  /** The zip's entries in order. */
  static LinkedHashMap<String, byte[]> entries(Path zip) throws IOException {
    LinkedHashMap<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        try (InputStream in = z.getInputStream(entry)) {
          out.put(entry.getName(), in.readAllBytes());
        }
      }
    }
    return out;
  }

  /** A copy of {@code zip} with {@code edit} applied to its entries (the manifest is not re-hashed). */
  static Path rewrite(Path zip, Path out, Consumer<LinkedHashMap<String, byte[]>> edit) throws IOException {
    LinkedHashMap<String, byte[]> entries = entries(zip);
    edit.accept(entries);
    try (OutputStream file = Files.newOutputStream(out); ZipOutputStream z = new ZipOutputStream(file)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return out;
  }

  /** The ids of a bundle's events, in bundle order, decoded from their records. */
  static List<String> eventIds(Path zip) throws IOException {
    List<String> ids = new ArrayList<>();
    for (Frame f : frames(entries(zip).get(BundleLayout.RECORDS))) {
      try {
        ids.add(CODEC.decode(f.record(), EvidenceEvent.class).getId());
      } catch (dev.quartet.schemas.UndecodableEventException e) {
        throw new IllegalStateException("an exported record does not decode", e);
      }
    }
    return ids;
  }

  /** One frame of {@code events/records.bin}. */
  record Frame(int partition, long leafIndex, byte[] leafHash, byte[] record, int renderingLength) {
    Frame withRecord(byte[] other) {
      return new Frame(partition, leafIndex, leafHash, other, renderingLength);
    }
  }

  /** The frames of a records entry. */
  static List<Frame> frames(byte[] records) {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(records);
    List<Frame> out = new ArrayList<>();
    while (in.hasRemaining()) {
      int partition = in.getInt();
      long leaf = in.getLong();
      byte[] hash = new byte[32];
      in.get(hash);
      byte[] record = new byte[in.getInt()];
      int renderingLength = in.getInt();
      in.get(record);
      out.add(new Frame(partition, leaf, hash, record, renderingLength));
    }
    return out;
  }

  /** A records entry of these frames. */
  static byte[] records(List<Frame> frames) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      for (Frame f : frames) {
        BundleRecords.write(out, f.partition(), f.leafIndex(), f.leafHash(), f.record(), f.renderingLength());
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** What a manifest lists as {@code events.framesSha256} for a records entry. */
  static String framesSha256(byte[] records) {
    java.security.MessageDigest sha = BundleRecords.headersSha256();
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(records);
    while (in.hasRemaining()) {
      byte[] header = new byte[BundleRecords.HEADER_BYTES];
      in.get(header);
      sha.update(header);
      in.position(in.position() + BundleRecords.getInt(header, BundleRecords.LENGTH_AT));
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Applies {@code edit} to the frames of the records entry in {@code entries}. */
  static void editFrames(Map<String, byte[]> entries, Consumer<List<Frame>> edit) {
    List<Frame> frames = new ArrayList<>(frames(entries.get(BundleLayout.RECORDS)));
    edit.accept(frames);
    entries.put(BundleLayout.RECORDS, records(frames));
  }

  /** Applies {@code edit} to the lines of JSON-lines entry {@code name} in {@code entries}. */
  static void editLines(Map<String, byte[]> entries, String name, Consumer<List<String>> edit) {
    List<String> lines = new ArrayList<>(new String(entries.get(name), StandardCharsets.UTF_8).lines().toList());
    edit.accept(lines);
    entries.put(name, lines.stream().map(l -> l + "\n").collect(java.util.stream.Collectors.joining())
        .getBytes(StandardCharsets.UTF_8));
  }

  static byte[] flipped(byte[] bytes, int index) {
    byte[] copy = bytes.clone();
    copy[index] ^= 0x01;
    return copy;
  }

  private static List<String> hex(List<byte[]> hashes) {
    return hashes.stream().map(HexFormat.of()::formatHex).toList();
  }

  private static byte[] filled(int b) {
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) b);
    return seed;
  }
}

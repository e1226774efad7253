package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.contracts.ExitCode;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.domain.note.NoteSigner;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.UndecodableEventException;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds an evidence bundle through the planes' APIs: the selected events' exact record bytes
 * and renderings; where the selection holds every leaf of a partition's log below the size of a
 * signed checkpoint, that checkpoint (verify recomputes its root from those leaves), and for every
 * other event an inclusion proof against the first signed checkpoint that includes it; those
 * checkpoints plus each partition's latest, consistency proofs linking consecutive checkpoints of
 * a partition, the log's keys, and the config snapshots events reference (see {@link ConfigSnapshotFetcher}).
 */
final class EvidenceExport {
  /**
   * Bounds of one export.
   *
   * @param pageSize events per query page
   * @param maxEvents most events one bundle takes; a selector matching more is refused
   * @param checkpointWait longest wait, overall, for recent events to be covered by a signed checkpoint
   * @param pollInterval pause between looks while waiting
   */
  record Options(int pageSize, int maxEvents, Duration checkpointWait, Duration pollInterval) {}

  private final ApiClient api;
  private final ConfigSnapshotFetcher configs;
  private final Options options;
  private final Clock clock;
  private final NoteSigner signer;
  private final EventCodec codec = EventCodec.standard();
  private final Map<Integer, TreeSet<Long>> sizes = new TreeMap<>();
  private final List<String> checkpointEntries = new ArrayList<>();
  private final Map<String, ConfigSnapshotFetcher.Wanted> wanted = new LinkedHashMap<>();
  private Instant waitDeadline;

  /** @param signer signs the manifest (a checkpoint key of the trust root the bundle will be verified against) */
  EvidenceExport(ApiClient api, ConfigSnapshotFetcher configs, Options options, Clock clock, NoteSigner signer) {
    this.signer = signer;
    this.api = api;
    this.configs = configs;
    this.options = options;
    this.clock = clock;
  }

  /** Exports the events {@code query} selects (described by {@code selector} in the manifest) to {@code out}. */
  BundleManifest export(Map<String, String> selector, String query, Path out) throws IOException {
    List<String> ids = select(query);
    try (BundleWriter bundle = BundleWriter.create(out)) {
      bundle.add(BundleLayout.KEYS, BundleDocuments.write(keys()));
      List<Selected> events = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        events.add(event(bundle, ids.get(i)));
      }
      Map<Integer, TreeSet<Long>> candidates = new TreeMap<>();
      events.forEach(e -> candidates.computeIfAbsent(e.partition(), p -> new TreeSet<>()).add(e.firstCheckpointSize()));
      for (int partition : candidates.keySet()) {
        long latest = addCheckpoint(bundle, api.getJson("/v1/evidence/checkpoints/" + partition + "/latest"));
        candidates.get(partition).add(latest);
      }
      Map<Integer, Long> complete = BundleCoverage.completeSizes(events.stream()
          .map(e -> new BundleCoverage.Leaf(e.partition(), e.leafIndex())).toList(), candidates);
      complete.forEach((partition, size) -> {
        if (!sizes.get(partition).contains(size)) {
          addCheckpointUnchecked(bundle, api.getJson("/v1/evidence/checkpoints/" + partition + "?size=" + size));
        }
      });
      for (int i = 0; i < events.size(); i++) {
        Selected e = events.get(i);
        if (e.leafIndex() >= complete.getOrDefault(e.partition(), 0L)) {
          bundle.inclusion(inclusion(bundle, i, e));
        }
      }
      List<String> consistency = consistency(bundle);
      ConfigSnapshotFetcher.Outcome snapshots = configs.fetch(wanted.values());
      List<BundleManifest.ConfigSnapshot> included = new ArrayList<>();
      for (ConfigSnapshotFetcher.Fetched f : snapshots.fetched()) {
        String entry = BundleLayout.config(f.scope(), f.version());
        bundle.add(entry, f.envelope());
        included.add(new BundleManifest.ConfigSnapshot(f.scope(), f.version(), f.digest(), entry));
      }
      BundleManifest draft = new BundleManifest(BundleLayout.FORMAT, clock.instant().toString(), selector,
          new BundleManifest.Counts(bundle.events(), bundle.inclusionProofs(), checkpointEntries.size(), consistency.size(),
              included.size(), snapshots.missing().size()),
          BundleLayout.KEYS, BundleManifest.Events.standard(), checkpointEntries, consistency, included,
          snapshots.missing(), Map.of());
      return bundle.finish(draft, signer);
    }
  }

  /** What export keeps of an event once its record is written: where its leaf is and which checkpoint first covers it. */
  private record Selected(String id, int partition, long leafIndex, long firstCheckpointSize) {}

  /**
   * The selected events, then every event of their correction chains (what they correct and what
   * corrects them, transitively) that is still indexed, so a bundle never shows an event without
   * its corrections.
   */
  private List<String> select(String query) {
    java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
    java.util.ArrayDeque<String> links = new java.util.ArrayDeque<>();
    String after = null;
    do {
      JsonNode page = api.getJson("/v1/evidence/events?" + query + "&limit=" + options.pageSize()
          + (after == null ? "" : "&after=" + after));
      for (JsonNode e : page.path("events")) {
        take(ids, links, e);
      }
      after = page.hasNonNull("next") ? page.get("next").asText() : null;
    } while (after != null);
    while (!links.isEmpty()) {
      String id = links.poll();
      String path = "/v1/evidence/events/" + segment(id);
      // A linked event whose body retention has deleted is not in the index any more: its leaf stays, its body cannot be shown.
      if (!ids.contains(id) && api.exists(path)) {
        take(ids, links, api.getJson(path));
      }
    }
    return new ArrayList<>(ids);
  }

  private void take(java.util.Set<String> ids, java.util.Deque<String> links, JsonNode event) {
    if (!ids.add(event.path("id").asText())) {
      return;
    }
    if (ids.size() > options.maxEvents()) {
      throw new CliFailure(ExitCode.REJECTED, "the selector matches more than " + options.maxEvents()
          + " events with their corrections; narrow it or raise --max-events");
    }
    if (event.hasNonNull("corrects")) {
      links.add(event.get("corrects").asText());
    }
    event.path("correctedBy").forEach(c -> links.add(c.asText()));
  }

  private BundleDocuments.KeysFile keys() {
    JsonNode k = api.getJson("/v1/evidence/keys");
    List<BundleDocuments.Key> keys = new ArrayList<>();
    k.path("keys").forEach(n -> keys.add(new BundleDocuments.Key(n.path("name").asText(), n.path("noteKeyId").asText(),
        n.path("vkey").asText(), n.path("publicKey").asText(), n.path("keyId").asText())));
    return new BundleDocuments.KeysFile(k.path("originPrefix").asText(), keys);
  }

  private Selected event(BundleWriter bundle, String id) throws IOException {
    JsonNode leaf = coveredLeaf(id);
    byte[] value = Base64.getDecoder().decode(leaf.path("value").asText());
    byte[] leafHash = LeafHash.of(value);
    if (!HexFormat.of().formatHex(leafHash).equals(leaf.path("leafHash").asText())) {
      throw new CliFailure(ExitCode.REJECTED, "the server's record of event " + id + " does not hash to its leaf hash");
    }
    EvidenceEvent event;
    try {
      event = codec.decode(value, EvidenceEvent.class);
    } catch (UndecodableEventException e) {
      throw new CliFailure(ExitCode.REJECTED, "event " + id + " is not a decodable EvidenceEvent: " + e.getMessage());
    }
    int partition = leaf.path("partition").asInt();
    long leafIndex = leaf.path("leafIndex").asLong();
    bundle.event(partition, leafIndex, leafHash, value, EventRendering.of(event));
    if (event.getConfigDigest() != null) {
      String scope = event.getAttributes().get("scope");
      wanted.putIfAbsent(scope + "@" + event.getConfigVersion() + "@" + event.getConfigDigest(),
          new ConfigSnapshotFetcher.Wanted(scope, event.getConfigVersion(), event.getConfigDigest()));
    }
    return new Selected(id, partition, leafIndex, leaf.path("firstCheckpointSize").asLong());
  }

  /** The inclusion proof of bundle event {@code i} against the first checkpoint that covers it, adding that checkpoint. */
  private BundleDocuments.InclusionLine inclusion(BundleWriter bundle, int i, Selected e) throws IOException {
    JsonNode proof = api.getJson("/v1/evidence/events/" + segment(e.id()) + "/proof?size=" + e.firstCheckpointSize());
    long size = addCheckpoint(bundle, proof.path("checkpoint"));
    if (proof.path("partition").asInt() != e.partition() || proof.path("leafIndex").asLong() != e.leafIndex()) {
      throw new CliFailure(ExitCode.REJECTED, "the server's proof of event " + e.id() + " is for another leaf");
    }
    List<String> hashes = new ArrayList<>();
    proof.path("hashes").forEach(h -> hashes.add(h.asText()));
    return new BundleDocuments.InclusionLine(i, e.partition(), e.leafIndex(), proof.path("treeSize").asLong(), hashes,
        BundleLayout.checkpoint(e.partition(), size));
  }

  /** The event's leaf once a signed checkpoint includes it, waiting for the next checkpoint for recent events. */
  private JsonNode coveredLeaf(String id) {
    while (true) {
      JsonNode leaf = api.getJson("/v1/evidence/events/" + segment(id) + "/leaf");
      if (leaf.hasNonNull("firstCheckpointSize")) {
        return leaf;
      }
      if (waitDeadline == null) {
        waitDeadline = clock.instant().plus(options.checkpointWait());
      }
      if (!clock.instant().isBefore(waitDeadline)) {
        throw new CliFailure(ExitCode.UNAVAILABLE, "event " + id + " is not yet in a signed checkpoint after waiting "
            + options.checkpointWait() + "; retry after the next checkpoint");
      }
      try {
        Thread.sleep(options.pollInterval().toMillis()); // a bounded wait for the checkpointer, not a test wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliFailure(ExitCode.UNAVAILABLE, "interrupted while waiting for a checkpoint");
      }
    }
  }

  /** Adds a checkpoint view's signed note (once per partition and size) and returns its size. */
  private long addCheckpoint(BundleWriter bundle, JsonNode view) throws IOException {
    int partition = view.path("partition").asInt();
    long size = view.path("treeSize").asLong();
    if (sizes.computeIfAbsent(partition, p -> new TreeSet<>()).add(size)) {
      String entry = BundleLayout.checkpoint(partition, size);
      bundle.add(entry, view.path("signedNote").asText().getBytes(StandardCharsets.UTF_8));
      checkpointEntries.add(entry);
    }
    return size;
  }

  private void addCheckpointUnchecked(BundleWriter bundle, JsonNode view) {
    try {
      addCheckpoint(bundle, view);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<String> consistency(BundleWriter bundle) throws IOException {
    List<String> entries = new ArrayList<>();
    for (Map.Entry<Integer, TreeSet<Long>> e : sizes.entrySet()) {
      int p = e.getKey();
      Long from = null;
      for (long to : e.getValue()) {
        if (from != null) {
          JsonNode proof = api.getJson("/v1/evidence/consistency/" + p + "?from=" + from + "&to=" + to);
          List<String> hashes = new ArrayList<>();
          proof.path("hashes").forEach(h -> hashes.add(h.asText()));
          String entry = BundleLayout.consistency(p, from, to);
          bundle.add(entry, BundleDocuments.write(new BundleDocuments.ConsistencyFile(p, from, to, hashes,
              BundleLayout.checkpoint(p, from), BundleLayout.checkpoint(p, to))));
          entries.add(entry);
        }
        from = to;
      }
    }
    return entries;
  }

  private static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

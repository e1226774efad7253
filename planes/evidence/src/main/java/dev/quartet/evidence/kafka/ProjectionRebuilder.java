package dev.quartet.evidence.kafka;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.evidence.config.RebuildSettings;
import dev.quartet.evidence.config.RetentionSettings;
import dev.quartet.evidence.domain.IndexedEvidence;
import dev.quartet.evidence.domain.PartitionCheckpoint;
import dev.quartet.evidence.domain.ProjectionRebuild;
import dev.quartet.evidence.domain.merkle.CompactRange;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.store.CheckpointStore;
import dev.quartet.evidence.store.IndexReplacement;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.UndecodableEventException;
import jakarta.inject.Singleton;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code quartet admin rebuild} for the evidence plane: replays {@value TopicCatalog#EVIDENCE_EVENTS}
 * from the beginning up to its end at the start (read_committed, so exactly the records the
 * indexer sees) into an emptied index, by the indexer's own translation and retention rule, so
 * it arrives at the same rows. On the way it recomputes each partition's leaves by the log's rule
 * and refuses (rolls back) when they do not give the root of the latest signed checkpoint.
 * Events after the snapshot are indexed by the running indexer once the rebuild commits.
 */
@Singleton
public class ProjectionRebuilder {
  private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilder.class);
  private final IndexReplacement index;
  private final CheckpointStore checkpoints;
  private final KafkaSettings kafka;
  private final RebuildSettings settings;
  private final RetentionSettings retention;
  private final EventCodec codec = EventCodec.standard();
  private final Clock clock = Clock.systemUTC();
  private final AtomicBoolean running = new AtomicBoolean();

  ProjectionRebuilder(IndexReplacement index, CheckpointStore checkpoints, KafkaSettings kafka, RebuildSettings settings,
                      RetentionSettings retention) {
    this.index = index;
    this.checkpoints = checkpoints;
    this.kafka = kafka;
    this.settings = settings;
    this.retention = retention;
  }

  /** Thrown when a rebuild is already running in this plane. */
  public static final class AlreadyRunning extends RuntimeException {
    AlreadyRunning() {
      super("a rebuild of the evidence projections is already running");
    }
  }

  /** Thrown when the topic's leaves do not give a signed root: the log or the topic was altered. */
  public static final class RootMismatch extends RuntimeException {
    RootMismatch(int partition, long size) {
      super("the evidence topic's partition " + partition + " does not give the root of its signed checkpoint of size " + size);
    }
  }

  /**
   * Rebuilds the index; one at a time.
   *
   * @throws AlreadyRunning when another rebuild runs
   * @throws RootMismatch when recomputed leaves contradict a signed checkpoint (nothing is changed)
   * @throws IllegalStateException when Kafka or PostgreSQL fail or the timeout passes (nothing is changed)
   */
  public ProjectionRebuild rebuild() {
    if (!running.compareAndSet(false, true)) {
      throw new AlreadyRunning();
    }
    try (Consumer<byte[], byte[]> consumer = consumer()) {
      Instant cutoff = clock.instant().minus(retention.body());
      List<ProjectionRebuild.PartitionCheck> checks = new ArrayList<>();
      long[] counts = new long[3];
      index.replace(sink -> checks.addAll(replay(consumer, cutoff, sink, counts)));
      ProjectionRebuild done = new ProjectionRebuild(counts[0], counts[1], counts[2], checks);
      log.info("Rebuilt the evidence index from {}: {} records, {} events indexed, {} past retention, partitions {}",
          TopicCatalog.EVIDENCE_EVENTS, done.records(), done.indexed(), done.expired(), done.partitions());
      return done;
    } finally {
      running.set(false);
    }
  }

  private List<ProjectionRebuild.PartitionCheck> replay(Consumer<byte[], byte[]> consumer, Instant cutoff,
                                                        java.util.function.Consumer<List<IndexedEvidence>> sink,
                                                        long[] counts) {
    List<TopicPartition> partitions = consumer.partitionsFor(TopicCatalog.EVIDENCE_EVENTS).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);  // read_committed: the last stable offset
    Map<Integer, CompactRange> trees = new HashMap<>();
    Map<Integer, ProjectionRebuild.PartitionCheck> checked = new HashMap<>();
    Map<Integer, PartitionCheckpoint> signed = new HashMap<>();
    for (TopicPartition tp : partitions) {
      trees.put(tp.partition(), CompactRange.empty());
      // Only a partition whose topic still starts at offset 0 can be recomputed from leaf 0.
      if (starts.get(tp) == 0) {
        checkpoints.latest(tp.partition()).ifPresent(cp -> signed.put(tp.partition(), cp));
      }
    }
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("rebuild did not finish within " + settings.timeout());
      }
      List<IndexedEvidence> batch = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(settings.pollTimeout())) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() >= ends.get(tp)) {
          continue;  // after the snapshot: the running indexer takes it
        }
        counts[0]++;
        Optional<EvidenceEvent> event = evidence(r.value());
        if (event.isEmpty()) {
          continue;  // the indexer dead-letters or skips it too: neither a leaf nor a row
        }
        CompactRange tree = trees.get(r.partition()).append(LeafHash.of(r.value()));
        trees.put(r.partition(), tree);
        check(r.partition(), tree, signed, checked);
        if (event.get().getOccurredAt().isBefore(cutoff)) {
          counts[2]++;  // the retention sweeper deleted this body; a rebuild must not bring it back
          continue;
        }
        batch.add(IndexRows.of(event.get(), r.topic(), r.partition(), r.offset()));
      }
      if (!batch.isEmpty()) {
        sink.accept(batch);
        counts[1] += batch.size();
      }
    }
    List<ProjectionRebuild.PartitionCheck> out = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      int p = tp.partition();
      out.add(checked.getOrDefault(p, new ProjectionRebuild.PartitionCheck(p, trees.get(p).size(), 0, false)));
    }
    return out;
  }

  private static void check(int partition, CompactRange tree, Map<Integer, PartitionCheckpoint> signed,
                            Map<Integer, ProjectionRebuild.PartitionCheck> checked) {
    PartitionCheckpoint cp = signed.get(partition);
    if (cp == null) {
      checked.put(partition, new ProjectionRebuild.PartitionCheck(partition, tree.size(), 0, false));
      return;
    }
    if (tree.size() == cp.treeSize()) {
      if (!Arrays.equals(tree.root(), cp.checkpoint().rootHash())) {
        log.error("Rebuild: partition {} recomputed from the topic does not give the signed root of size {}; a human must look",
            partition, cp.treeSize());
        throw new RootMismatch(partition, cp.treeSize());
      }
    }
    boolean verified = tree.size() >= cp.treeSize();
    checked.put(partition, new ProjectionRebuild.PartitionCheck(partition, tree.size(), verified ? cp.treeSize() : 0, verified));
  }

  private Optional<EvidenceEvent> evidence(byte[] value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      SpecificRecord decoded = codec.decode(value);
      return decoded instanceof EvidenceEvent e ? Optional.of(e) : Optional.empty();
    } catch (UndecodableEventException e) {
      return Optional.empty();
    }
  }

  private Consumer<byte[], byte[]> consumer() {
    int timeoutMs = (int) kafka.requestTimeout().toMillis();
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        // Like the indexer: a record of an aborted transaction is neither a leaf nor a row.
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords(),
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
        ConsumerConfig.CLIENT_ID_CONFIG, "quartet-evidence-rebuild-" + ProcessHandle.current().pid()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}

package dev.quartet.evidence.kafka;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.evidence.config.CheckpointSettings;
import dev.quartet.evidence.domain.CheckpointPolicy;
import dev.quartet.evidence.domain.CheckpointSigner;
import dev.quartet.evidence.domain.EvidenceCheckpoint;
import dev.quartet.evidence.domain.PartitionCheckpoint;
import dev.quartet.evidence.domain.PartitionTree;
import dev.quartet.evidence.domain.note.NoteSigner;
import dev.quartet.evidence.store.CheckpointStore;
import dev.quartet.schemas.EventCodec;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Signs and publishes checkpoints of every partition's log (SPEC "Evidence": at least every N
 * events or T seconds). One thread runs rounds every T, and at once when a tree grew by N: a
 * round signs each committed tree that grew since its last checkpoint (C2SP tlog-checkpoint in a
 * signed note), stores it, then publishes the stored but unpublished ones in size order to
 * {@value TopicCatalog#EVIDENCE_CHECKPOINTS}, stopping at the first failure so the next round
 * retries in order. Only committed trees are signed, so a checkpoint never covers a leaf that a
 * rollback could take back.
 */
@Singleton
public class CheckpointPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CheckpointPublisher.class);

  private final CheckpointStore store;
  private final CheckpointSettings settings;
  private final CheckpointPolicy policy;
  private final NoteSigner key;
  private final Producer<byte[], byte[]> producer;
  private final EventCodec codec = EventCodec.standard();
  private final Clock clock = Clock.systemUTC();
  private final Map<Integer, CheckpointSigner> signers = new ConcurrentHashMap<>();
  // Checkpointed size per partition, for the early trigger; absent means unknown (treated as 0).
  private final Map<Integer, Long> checkpointed = new ConcurrentHashMap<>();
  private final AtomicBoolean roundRequested = new AtomicBoolean();
  private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "evidence-checkpointer");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean sizesLoaded;
  private volatile boolean closed;

  CheckpointPublisher(CheckpointStore store, CheckpointSettings settings, NoteSigner key, Producer<byte[], byte[]> producer) {
    this.store = store;
    this.settings = settings;
    this.policy = new CheckpointPolicy(settings.originPrefix(), settings.everyEvents());
    this.key = key;
    this.producer = producer;
    long period = settings.every().toMillis();
    rounds.scheduleWithFixedDelay(this::round, period, period, TimeUnit.MILLISECONDS);
  }

  /** Tells the publisher a partition's committed tree reached {@code treeSize}; never blocks. */
  public void appended(int partition, long treeSize) {
    if (closed || !policy.dueEarly(treeSize, checkpointed.getOrDefault(partition, 0L))
        || !roundRequested.compareAndSet(false, true)) {
      return;
    }
    try {
      rounds.execute(this::round);
    } catch (RejectedExecutionException e) {
      // Closing: the tree is committed, so the next start signs it.
      roundRequested.set(false);
    }
  }

  /** The C2SP origin of a partition's log. */
  public String origin(int partition) {
    return policy.origin(partition);
  }

  private void round() {
    roundRequested.set(false);
    try {
      if (!sizesLoaded) {
        store.checkpointedSizes().forEach((p, size) -> checkpointed.merge(p, size, Math::max));
        sizesLoaded = true;
      }
      signGrownTrees();
      publishPending();
    } catch (RuntimeException e) {
      // A failed round is retried by the next one (every T); the log itself is unaffected.
      log.warn("Checkpoint round failed; retrying in {}", settings.every(), e);
    }
  }

  private void signGrownTrees() {
    List<CheckpointStore.Signed> signed = new ArrayList<>();
    for (PartitionTree tree : store.treesAheadOfCheckpoints()) {
      EvidenceCheckpoint cp = signers.computeIfAbsent(tree.partition(), p -> new CheckpointSigner(policy.origin(p), key))
          .sign(tree.range());
      signed.add(new CheckpointStore.Signed(tree.partition(), cp));
    }
    // One transaction for the round: its commit, not each partition's, is what checkpoint lag pays.
    store.insertAll(signed, clock.instant());
    signed.forEach(s -> checkpointed.merge(s.partition(), s.checkpoint().treeSize(), Math::max));
  }

  private void publishPending() {
    List<CheckpointStore.Published> published = new ArrayList<>();
    try {
      for (PartitionCheckpoint pending : store.unpublished(settings.maxPublishBatch())) {
        // Avro timestamp-millis: the stored time is truncated alike so both say the same instant.
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        RecordMetadata where = send(pending, at);
        published.add(new CheckpointStore.Published(pending.partition(), pending.treeSize(), at));
        log.debug("Checkpoint {} size {} root {} published to {}-{}@{}", pending.checkpoint().origin(), pending.treeSize(),
            HexFormat.of().formatHex(pending.checkpoint().rootHash()), where.topic(), where.partition(), where.offset());
      }
    } finally {
      // What was sent before a failure is recorded; the rest is sent, in order, by the next round.
      store.markPublished(published);
    }
  }

  private RecordMetadata send(PartitionCheckpoint pending, Instant at) {
    EvidenceCheckpoint cp = pending.checkpoint();
    var record = dev.quartet.schemas.EvidenceCheckpoint.newBuilder()
        .setOrigin(cp.origin())
        .setPartition(pending.partition())
        .setTreeSize(cp.treeSize())
        .setRootHash(ByteBuffer.wrap(cp.rootHash()))
        .setSignedNote(cp.signedNote())
        .setPublishedAt(at)
        .build();
    // Keyed by origin: one log's checkpoints stay in order even if the topic ever gets more partitions.
    var message = new ProducerRecord<>(TopicCatalog.EVIDENCE_CHECKPOINTS, cp.origin().getBytes(StandardCharsets.UTF_8),
        codec.encode(record));
    String what = "checkpoint " + cp.origin() + " size " + cp.treeSize();
    try {
      return producer.send(message).get(settings.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot publish " + what, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("publishing " + what + " timed out after " + settings.publishTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing " + what, e);
    }
  }

  /** Runs a last round (bounded by the shutdown timeout) so committed leaves get a checkpoint, then stops. */
  @Override
  @PreDestroy
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      rounds.execute(this::round);
    } catch (RejectedExecutionException e) {
      // Already shut down.
    }
    rounds.shutdown();
    try {
      if (!rounds.awaitTermination(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Checkpoint round still running after {}; interrupting it", settings.shutdownTimeout());
        rounds.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      rounds.shutdownNow();
    }
  }
}

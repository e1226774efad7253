package dev.quartet.evidence.kafka;

import dev.quartet.contracts.kafka.ConsumedEvent;
import dev.quartet.contracts.kafka.ConsumerLoopConfig;
import dev.quartet.contracts.kafka.EventHandler;
import dev.quartet.contracts.kafka.SupervisedConsumerLoop;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.evidence.config.EvidenceIndexSettings;
import dev.quartet.evidence.domain.Sequenced;
import dev.quartet.evidence.domain.merkle.LeafHash;
import dev.quartet.evidence.store.MerkleLogStore;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.runtime.TopicBootstrap;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sequences the evidence topic into the per-partition Merkle logs and projects it into the
 * PostgreSQL index, in {@code consumers} loops of one consumer group and one database transaction
 * per poll (at most {@code max-poll-records} records), so the index and the log never disagree.
 * A partition belongs to one loop at a time, and its tree row lock serializes the rest (a
 * rebalance). Undecodable records are dead-lettered by the consumer loop and are not leaves; when
 * indexing itself fails (e.g. PostgreSQL is down) that loop stops without committing, and its
 * supervisor starts a new one after a bounded, growing back-off, so index and log catch up from
 * the last committed offset once the cause is gone (replays add no leaf).
 */
@Context
public class EvidenceIndexer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EvidenceIndexer.class);

  private final MerkleLogStore merkleLog;
  private final CheckpointPublisher checkpoints;
  private final List<SupervisedConsumerLoop> loops = new ArrayList<>();

  /** Takes {@link TopicBootstrap} so consumption starts only once the topics exist. */
  EvidenceIndexer(MerkleLogStore merkleLog, CheckpointPublisher checkpoints, EvidenceIndexSettings settings, KafkaSettings kafka,
                  TopicBootstrap topics) {
    this.merkleLog = merkleLog;
    this.checkpoints = checkpoints;
    var config = new ConsumerLoopConfig(settings.consumerGroup(), List.of(TopicCatalog.EVIDENCE_EVENTS),
        TopicCatalog.DEAD_LETTER, settings.pollTimeout(), settings.maxPollRecords(), kafka.deliveryTimeout());
    try {
      for (int i = 0; i < settings.consumers(); i++) {
        loops.add(SupervisedConsumerLoop.start("evidence-indexer-" + i, kafka.bootstrapServers(), config,
            EventCodec.standard(), new Batch(), settings.maxRestartBackoff()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Whether every indexer loop is consuming now (false while one backs off after a failure). */
  public boolean running() {
    return loops.stream().allMatch(SupervisedConsumerLoop::running);
  }

  /**
   * One loop's batch: records are decoded and hashed as they come, and join the log when the
   * poll's batch ends, in one transaction (one per record would bound the log by PostgreSQL's
   * commit rate). Touched only by its loop's thread; at most {@code max-poll-records} records.
   */
  private final class Batch implements EventHandler {
    private final List<MerkleLogStore.Pending> pending = new ArrayList<>();

    @Override
    public void handle(ConsumedEvent consumed) {
      if (!(consumed.event() instanceof EvidenceEvent e)) {
        // A valid Quartet event of another type does not belong here; it is not evidence, so it is
        // neither indexed nor a leaf, and skipped visibly.
        log.warn("Skipping {} at {}: not an EvidenceEvent", consumed.event().getSchema().getName(), consumed.source());
        return;
      }
      // The leaf is the value exactly as Kafka holds it (Avro single-object bytes), see PartitionTree.
      pending.add(new MerkleLogStore.Pending(IndexRows.of(e, consumed), LeafHash.of(consumed.value())));
    }

    /** Sequences and indexes the poll's records, then tells the checkpointer how far each tree grew. */
    @Override
    public void endBatch() {
      try {
        List<Sequenced> decisions = merkleLog.appendAll(pending);
        Map<Integer, Long> grown = new TreeMap<>();
        int replays = 0;
        for (Sequenced decision : decisions) {
          if (decision instanceof Sequenced.Appended appended) {
            grown.merge(appended.tree().partition(), appended.tree().size(), Math::max);
          } else {
            replays++;
          }
        }
        if (replays > 0) {
          log.debug("{} of {} evidence records were sequenced before; no new leaves for them", replays, decisions.size());
        }
        grown.forEach(checkpoints::appended);
      } finally {
        // Whether it committed or not: a failed batch is redelivered from the last committed offset.
        pending.clear();
      }
    }
  }

  @Override
  @PreDestroy
  public void close() {
    loops.forEach(SupervisedConsumerLoop::close);
  }
}

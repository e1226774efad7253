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
 * PostgreSQL index, in one consumer loop and one database transaction per poll (at most
 * {@code max-poll-records} records), so the index and the log never disagree. Undecodable records are dead-lettered by the consumer loop and are
 * not leaves; when indexing itself fails (e.g. PostgreSQL is down) the loop stops without
 * committing, and the supervised loop starts a new one after a bounded, growing back-off, so index
 * and log catch up from the last committed offset once the cause is gone (replays add no leaf).
 */
@Context
public class EvidenceIndexer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EvidenceIndexer.class);

  private final MerkleLogStore merkleLog;
  private final CheckpointPublisher checkpoints;
  private final SupervisedConsumerLoop loop;
  // Records of the current poll, bounded by maxPollRecords; touched only by the loop's thread.
  private final List<MerkleLogStore.Pending> pending = new ArrayList<>();

  /** Takes {@link TopicBootstrap} so consumption starts only once the topics exist. */
  EvidenceIndexer(MerkleLogStore merkleLog, CheckpointPublisher checkpoints, EvidenceIndexSettings settings, KafkaSettings kafka,
                  TopicBootstrap topics) {
    this.merkleLog = merkleLog;
    this.checkpoints = checkpoints;
    var config = new ConsumerLoopConfig(settings.consumerGroup(), List.of(TopicCatalog.EVIDENCE_EVENTS),
        TopicCatalog.DEAD_LETTER, settings.pollTimeout(), settings.maxPollRecords(), kafka.deliveryTimeout());
    this.loop = SupervisedConsumerLoop.start("evidence-indexer", kafka.bootstrapServers(), config, EventCodec.standard(),
        new EventHandler() {
          @Override
          public void handle(ConsumedEvent event) {
            index(event);
          }

          @Override
          public void endBatch() {
            sequenceBatch();
          }
        }, settings.maxRestartBackoff());
  }

  /** Whether the indexer is consuming now (false while it backs off after a failure). */
  public boolean running() {
    return loop.running();
  }

  /** Decodes and hashes one record; it joins the log when its poll's batch ends ({@link #sequenceBatch()}). */
  private void index(ConsumedEvent consumed) {
    if (!(consumed.event() instanceof EvidenceEvent e)) {
      // A valid Quartet event of another type does not belong here; it is not evidence, so it is
      // neither indexed nor a leaf, and skipped visibly.
      log.warn("Skipping {} at {}: not an EvidenceEvent", consumed.event().getSchema().getName(), consumed.source());
      return;
    }
    // The leaf is the value exactly as Kafka holds it (Avro single-object bytes), see PartitionTree.
    pending.add(new MerkleLogStore.Pending(IndexRows.of(e, consumed), LeafHash.of(consumed.value())));
  }

  /**
   * Sequences and indexes the poll's records in one transaction (one per record would bound the
   * log by PostgreSQL's commit rate), then tells the checkpointer how far each tree grew.
   */
  private void sequenceBatch() {
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

  @Override
  @PreDestroy
  public void close() {
    loop.close();
  }
}

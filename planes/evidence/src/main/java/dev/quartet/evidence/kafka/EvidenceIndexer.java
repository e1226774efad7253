package dev.quartet.evidence.kafka;

import dev.quartet.contracts.kafka.ConsumedEvent;
import dev.quartet.contracts.kafka.ConsumerLoopConfig;
import dev.quartet.contracts.kafka.SupervisedConsumerLoop;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.evidence.config.EvidenceIndexSettings;
import dev.quartet.evidence.domain.IndexedEvidence;
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

import java.util.List;

/**
 * Sequences the evidence topic into the per-partition Merkle logs and projects it into the
 * PostgreSQL index, in one consumer loop and one database transaction per record, so the index
 * and the log never disagree. Undecodable records are dead-lettered by the consumer loop and are
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

  /** Takes {@link TopicBootstrap} so consumption starts only once the topics exist. */
  EvidenceIndexer(MerkleLogStore merkleLog, CheckpointPublisher checkpoints, EvidenceIndexSettings settings, KafkaSettings kafka,
                  TopicBootstrap topics) {
    this.merkleLog = merkleLog;
    this.checkpoints = checkpoints;
    var config = new ConsumerLoopConfig(settings.consumerGroup(), List.of(TopicCatalog.EVIDENCE_EVENTS),
        TopicCatalog.DEAD_LETTER, settings.pollTimeout(), settings.maxPollRecords(), kafka.deliveryTimeout());
    this.loop = SupervisedConsumerLoop.start("evidence-indexer", kafka.bootstrapServers(), config, EventCodec.standard(),
        this::index, settings.maxRestartBackoff());
  }

  /** Whether the indexer is consuming now (false while it backs off after a failure). */
  public boolean running() {
    return loop.running();
  }

  private void index(ConsumedEvent consumed) {
    if (!(consumed.event() instanceof EvidenceEvent e)) {
      // A valid Quartet event of another type does not belong here; it is not evidence, so it is
      // neither indexed nor a leaf, and skipped visibly.
      log.warn("Skipping {} at {}: not an EvidenceEvent", consumed.event().getSchema().getName(), consumed.source());
      return;
    }
    // The leaf is the value exactly as Kafka holds it (Avro single-object bytes), see PartitionTree.
    byte[] leafHash = LeafHash.of(consumed.value());
    IndexedEvidence row = IndexRows.of(e, consumed);
    Sequenced decision = merkleLog.append(row, leafHash);
    if (decision instanceof Sequenced.Appended appended) {
      checkpoints.appended(appended.tree().partition(), appended.tree().size());
    } else {
      log.debug("Evidence {} at {} was sequenced before; no new leaf", e.getId(), consumed.source());
    }
  }

  @Override
  @PreDestroy
  public void close() {
    loop.close();
  }
}

package dev.quartet.evidence.kafka;

import dev.quartet.contracts.kafka.ConsumedEvent;
import dev.quartet.contracts.kafka.ConsumerLoopConfig;
import dev.quartet.contracts.kafka.EventConsumerLoop;
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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sequences the evidence topic into the per-partition Merkle logs and projects it into the
 * PostgreSQL index, in one consumer loop and one database transaction per record, so the index
 * and the log never disagree. Undecodable records are dead-lettered by the consumer loop and are
 * not leaves; when indexing itself fails (e.g. PostgreSQL is down) the loop stops without
 * committing, and this supervisor starts a new one after a bounded, growing back-off, so index
 * and log catch up from the last committed offset once the cause is gone (replays add no leaf).
 */
@Context
public class EvidenceIndexer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EvidenceIndexer.class);

  private final MerkleLogStore merkleLog;
  private final CheckpointPublisher checkpoints;
  private final EvidenceIndexSettings settings;
  private final KafkaSettings kafka;
  private final EventCodec codec = EventCodec.standard();
  private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "evidence-indexer");
    t.setDaemon(true);
    return t;
  });
  private volatile EventConsumerLoop loop;
  private volatile boolean closed;
  private volatile int consecutiveFailures;

  /** Takes {@link TopicBootstrap} so consumption starts only once the topics exist. */
  EvidenceIndexer(MerkleLogStore merkleLog, CheckpointPublisher checkpoints, EvidenceIndexSettings settings, KafkaSettings kafka,
                  TopicBootstrap topics) {
    this.merkleLog = merkleLog;
    this.checkpoints = checkpoints;
    this.settings = settings;
    this.kafka = kafka;
    supervisor.execute(this::runLoop);
  }

  /** Whether the indexer is consuming now (false while it backs off after a failure). */
  public boolean running() {
    EventConsumerLoop current = loop;
    return current != null && current.state() == EventConsumerLoop.State.RUNNING;
  }

  private void runLoop() {
    if (closed) {
      return;
    }
    var config = new ConsumerLoopConfig(settings.consumerGroup(), List.of(TopicCatalog.EVIDENCE_EVENTS),
        TopicCatalog.DEAD_LETTER, settings.pollTimeout(), settings.maxPollRecords(), kafka.deliveryTimeout());
    try {
      EventConsumerLoop next = EventConsumerLoop.create(kafka.bootstrapServers(), config, codec, this::index);
      loop = next;
      if (closed) {
        next.close();  // close() ran while the loop was being built and could not see it
        return;
      }
      next.run();
    } catch (RuntimeException e) {
      if (closed) {
        return;
      }
      consecutiveFailures++;
      Duration backoff = backoff(consecutiveFailures);
      log.error("Evidence indexing stopped ({} in a row); restarting from the last committed offset in {}",
          consecutiveFailures, backoff, e);
      supervisor.schedule(this::runLoop, backoff.toMillis(), TimeUnit.MILLISECONDS);
    }
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
    consecutiveFailures = 0;
  }

  private Duration backoff(int failures) {
    long millis = settings.pollTimeout().toMillis() << Math.min(failures, 6);
    return Duration.ofMillis(Math.min(millis, settings.maxRestartBackoff().toMillis()));
  }

  @Override
  @PreDestroy
  public void close() {
    closed = true;
    EventConsumerLoop current = loop;
    if (current != null) {
      current.close();
    }
    supervisor.shutdownNow();
  }
}

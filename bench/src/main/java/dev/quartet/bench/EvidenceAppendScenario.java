package dev.quartet.bench;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.schemas.EvidenceEvent;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Quartet: evidence appended to the log — each event sequenced into its partition's RFC 9162 tree,
 * leaf and tree state stored, indexed, and covered by signed checkpoints — against the raw producer
 * at the same record size. The evidence plane runs in this JVM on its own embedded PostgreSQL; the
 * bench keeps a bounded backlog of evidence events ahead of it and counts leaves appended per
 * second (the sum of the partitions' tree sizes), so the figure is the log's own rate.
 */
final class EvidenceAppendScenario implements BenchScenario {
  /** Its name. */
  static final String NAME = "evidence-append";
  /** Events produced ahead of the log at most: the backlog that keeps the indexer busy, bounded. */
  private static final long MAX_BACKLOG = 20_000;
  private static final Duration POLL = Duration.ofMillis(20);
  private final int recordSize;
  private final EvidenceEvents events;

  EvidenceAppendScenario(int recordSize) {
    this.recordSize = recordSize;
    this.events = EvidenceEvents.ofEncodedSize(recordSize);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "EvidenceEvents (" + recordSize + " B) sequenced into the per-partition Merkle trees, stored, indexed and"
        + " checkpointed by the evidence plane; leaves appended per second";
  }

  @Override
  public Kind kind() {
    return Kind.QUARTET;
  }

  @Override
  public Optional<String> baseline() {
    return Optional.of(RawProducerScenario.nameFor(recordSize));
  }

  @Override
  public Optional<String> goal() {
    return Optional.of("evidence.append");
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    try (EvidencePlaneUnderTest plane = EvidencePlaneUnderTest.start(ctx, NAME, Map.of());
         KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ctx.producerConfig(NAME))) {
      Feeder feeder = new Feeder(producer, plane, plane.leaves());
      feeder.runFor(ctx.settings().warmup());
      long start = plane.leaves();
      long started = System.nanoTime();
      ctx.startMeasuring();
      feeder.runFor(ctx.settings().duration());
      long appended = plane.leaves() - start;
      double seconds = (System.nanoTime() - started) / 1e9;
      ctx.stopMeasuring();
      if (appended < 1) {
        throw new IllegalStateException("no evidence was appended to the log in " + ctx.settings().duration());
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("leaves", (double) appended);
      metrics.put("megabytesPerSec", appended * (double) events.encodedSize() / seconds / 1e6);
      metrics.put("produced", (double) feeder.produced);
      metrics.put("checkpoints", (double) plane.checkpoints());
      metrics.put("valueBytes", (double) events.encodedSize());
      return new ScenarioResult(Figure.recordsPerSecond(appended / seconds), metrics);
    }
  }

  /** Produces evidence events as fast as the log takes them, never more than {@link #MAX_BACKLOG} ahead. */
  private final class Feeder {
    private final KafkaProducer<byte[], byte[]> producer;
    private final EvidencePlaneUnderTest plane;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final long base;
    private long produced;

    Feeder(KafkaProducer<byte[], byte[]> producer, EvidencePlaneUnderTest plane, long base) {
      this.producer = producer;
      this.plane = plane;
      this.base = base;
    }

    void runFor(Duration limit) throws SQLException {
      long end = System.nanoTime() + limit.toNanos();
      while (System.nanoTime() < end) {
        if (failure.get() != null) {
          throw new IllegalStateException("the broker refused an evidence event: " + failure.get(), failure.get());
        }
        long backlog = produced - (plane.leaves() - base);
        if (backlog >= MAX_BACKLOG) {
          java.util.concurrent.locks.LockSupport.parkNanos(POLL.toNanos());  // the log is behind: look again shortly
          continue;
        }
        for (long i = backlog; i < MAX_BACKLOG && System.nanoTime() < end; i++) {
          EvidenceEvent event = events.next(produced);
          producer.send(new ProducerRecord<>(TopicCatalog.EVIDENCE_EVENTS, event.getCorrelationId().getBytes(StandardCharsets.UTF_8),
              events.encode(event)), (m, e) -> {
                if (e != null) {
                  failure.compareAndSet(null, e);
                }
              });
          produced++;
        }
        producer.flush();
      }
    }
  }
}

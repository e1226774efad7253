package dev.quartet.bench;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Quartet: checkpoint lag, from the producer's acknowledgement of an evidence event to the
 * publication of the first signed checkpoint whose tree covers it (SPEC "Evidence": checkpoints at
 * least every N events or T). Events go out at a steady rate ({@code -Dquartet.bench.checkpoint-lag-rate},
 * events/s) to the evidence plane running in this JVM with its configured checkpoint policy; a
 * consumer of the checkpoint topic notes when each checkpoint arrives, and the log tells which
 * offset its last leaf is. Only events acknowledged inside the measured window count. The plane's
 * log starts at the topic's end, so events earlier scenarios left on the topic are no backlog.
 */
final class EvidenceCheckpointLagScenario implements BenchScenario {
  /** Its name. */
  static final String NAME = "evidence-checkpoint-lag";
  private static final String RATE_PROPERTY = "quartet.bench.checkpoint-lag-rate";
  private static final int DEFAULT_RATE = 500;
  private static final long HIGHEST_TRACKABLE_NANOS = Duration.ofMinutes(5).toNanos();
  private static final Duration POLL = Duration.ofMillis(20);
  private final int recordSize;
  private final int rate;
  private final EvidenceEvents events;

  EvidenceCheckpointLagScenario(int recordSize) {
    this.recordSize = recordSize;
    this.rate = Integer.getInteger(RATE_PROPERTY, DEFAULT_RATE);
    if (rate < 1) {
      throw new IllegalArgumentException(RATE_PROPERTY + " must be at least 1 event/s, was " + rate);
    }
    this.events = EvidenceEvents.ofEncodedSize(recordSize);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "EvidenceEvents (" + recordSize + " B) at " + rate + "/s: producer ack -> first signed checkpoint covering"
        + " the event, published";
  }

  @Override
  public Kind kind() {
    return Kind.QUARTET;
  }

  @Override
  public Optional<String> goal() {
    return Optional.of("evidence.checkpoint-lag");
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    try (EvidencePlaneUnderTest plane = EvidencePlaneUnderTest.start(ctx, NAME, Map.of(), true);
         KafkaConsumer<byte[], byte[]> checkpoints = new KafkaConsumer<>(ctx.consumerConfig(NAME + "-checkpoints"));
         KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ctx.producerConfig(NAME))) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : checkpoints.partitionsFor(TopicCatalog.EVIDENCE_CHECKPOINTS)) {
        partitions.add(new TopicPartition(p.topic(), p.partition()));
      }
      checkpoints.assign(partitions);
      checkpoints.seekToEnd(partitions);
      partitions.forEach(checkpoints::position);  // fix the start before the first event goes out

      Lags lags = new Lags(plane);
      Pacer pacer = new Pacer(producer, lags);
      Thread sender = new Thread(pacer, NAME + "-sender");
      sender.setDaemon(true);
      sender.start();
      try {
        lags.follow(checkpoints, ctx.settings().warmup());
        lags.windowStart = System.nanoTime();
        ctx.startMeasuring();
        lags.follow(checkpoints, ctx.settings().duration());
        lags.windowEnd = System.nanoTime();
        ctx.stopMeasuring();
      } finally {
        pacer.stop = true;
        sender.join(ctx.settings().operationTimeout().toMillis());
      }
      pacer.throwIfFailed();
      // Let the last events of the window be checkpointed: bounded, and a miss is a failure, not a figure.
      long deadline = System.nanoTime() + ctx.settings().operationTimeout().toNanos();
      while (lags.uncoveredInWindow() > 0 && System.nanoTime() < deadline) {
        lags.follow(checkpoints, POLL);
      }
      if (lags.uncoveredInWindow() > 0) {
        throw new IllegalStateException(lags.uncoveredInWindow() + " events acknowledged in the window were not covered"
            + " by a signed checkpoint within " + ctx.settings().operationTimeout());
      }
      if (lags.histogram.getTotalCount() == 0) {
        throw new IllegalStateException("no evidence event was acknowledged in the measured window");
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("p50Ms", lags.histogram.getValueAtPercentile(50) / 1e6);
      metrics.put("p99Ms", lags.histogram.getValueAtPercentile(99) / 1e6);
      metrics.put("p999Ms", lags.histogram.getValueAtPercentile(99.9) / 1e6);
      metrics.put("maxMs", lags.histogram.getMaxValue() / 1e6);
      metrics.put("events", (double) lags.histogram.getTotalCount());
      metrics.put("checkpoints", (double) lags.checkpointsSeen);
      metrics.put("ratePerSec", (double) rate);
      return new ScenarioResult(Figure.latencyMillis("p99", lags.histogram.getValueAtPercentile(99) / 1e6), metrics);
    }
  }

  /** An acknowledged event: where it is, and when the ack came. */
  private record Acked(int partition, long offset, long ackNanos) {}

  /** Sends events at {@link #rate} per second until stopped; acks go to {@link Lags#acked}. */
  private final class Pacer implements Runnable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final Lags lags;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean stop;

    Pacer(KafkaProducer<byte[], byte[]> producer, Lags lags) {
      this.producer = producer;
      this.lags = lags;
    }

    @Override
    public void run() {
      long start = System.nanoTime();
      long interval = 1_000_000_000L / rate;
      for (long i = 0; !stop && failure.get() == null; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        EvidenceEvent event = events.next(i);
        producer.send(new ProducerRecord<>(TopicCatalog.EVIDENCE_EVENTS,
            event.getCorrelationId().getBytes(StandardCharsets.UTF_8), events.encode(event)), (m, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              } else {
                lags.acked.add(new Acked(m.partition(), m.offset(), System.nanoTime()));
              }
            });
      }
    }

    void throwIfFailed() {
      if (failure.get() != null) {
        throw new IllegalStateException("the broker refused an evidence event: " + failure.get(), failure.get());
      }
    }
  }

  /** Matches acknowledged events with the first checkpoint covering them; one thread. */
  private static final class Lags {
    final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
    final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private final EvidencePlaneUnderTest plane;
    private final EventCodec codec = EventCodec.standard();
    // Per partition: offset covered by a checkpoint -> when that checkpoint arrived, in arrival order.
    private final Map<Integer, TreeMap<Long, Long>> coveredAt = new HashMap<>();
    private final List<Acked> waiting = new ArrayList<>();
    volatile long windowStart = Long.MAX_VALUE;
    volatile long windowEnd = Long.MAX_VALUE;
    long checkpointsSeen;

    Lags(EvidencePlaneUnderTest plane) {
      this.plane = plane;
    }

    void follow(KafkaConsumer<byte[], byte[]> consumer, Duration limit) throws Exception {
      long end = System.nanoTime() + limit.toNanos();
      do {
        var records = consumer.poll(POLL);
        long arrived = System.nanoTime();  // before the lookups below, which would add their own time
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (codec.decode(r.value()) instanceof dev.quartet.schemas.EvidenceCheckpoint cp
              && cp.getOrigin().equals(plane.origin(cp.getPartition())) && cp.getTreeSize() > 0) {
            long offset = plane.offsetOfLeaf(cp.getPartition(), cp.getTreeSize() - 1);
            coveredAt.computeIfAbsent(cp.getPartition(), p -> new TreeMap<>()).putIfAbsent(offset, arrived);
            checkpointsSeen++;
          }
        }
        match();
      } while (System.nanoTime() < end);
    }

    long uncoveredInWindow() {
      match();
      return waiting.stream().filter(this::inWindow).count();
    }

    private void match() {
      for (Acked a; (a = acked.poll()) != null; ) {
        waiting.add(a);
      }
      for (Iterator<Acked> it = waiting.iterator(); it.hasNext(); ) {
        Acked a = it.next();
        TreeMap<Long, Long> covered = coveredAt.get(a.partition());
        Map.Entry<Long, Long> first = covered == null ? null : covered.ceilingEntry(a.offset());
        if (first == null) {
          continue;
        }
        if (inWindow(a)) {
          // A record can be read (and checkpointed) before its ack reaches the producer: no lag then.
          histogram.recordValue(Math.max(0, first.getValue() - a.ackNanos()));
        }
        it.remove();
      }
    }

    private boolean inWindow(Acked a) {
      return a.ackNanos() >= windowStart && a.ackNanos() <= windowEnd;
    }
  }
}

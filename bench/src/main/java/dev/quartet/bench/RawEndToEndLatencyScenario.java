package dev.quartet.bench;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Baseline: end-to-end latency of one record at a time, as Kafka's own EndToEndLatency tool
 * measures it: send (acks=all, idempotent), then poll until that record is consumed; the next
 * record goes only after. Latency is from before the send to after the poll that returned it.
 */
final class RawEndToEndLatencyScenario implements BenchScenario {
  /** Its name, for the scenarios compared with it. */
  static final String NAME = "raw-e2e-latency";
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(1);
  private final int recordSize;

  RawEndToEndLatencyScenario(int recordSize) {
    this.recordSize = recordSize;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "plain Kafka send-then-consume of one " + recordSize + " B record at a time, acks=all";
  }

  @Override
  public Kind kind() {
    return Kind.BASELINE;
  }

  @Override
  public ScenarioResult run(BenchContext ctx) {
    String topic = ctx.createTopic("e2e-latency");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ctx.producerConfig("e2e-producer"));
         KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ctx.consumerConfig("e2e-consumer"))) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, ctx.settings().operationTimeout());
      List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(assigned);
      consumer.seekToEnd(assigned);
      assigned.forEach(consumer::position);
      Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
      Loop loop = new Loop(producer, consumer, topic, ctx.settings().operationTimeout());
      loop.runFor(ctx.settings().warmup(), null);
      ctx.startMeasuring();
      long samples = loop.runFor(ctx.settings().duration(), histogram);
      ctx.stopMeasuring();
      if (samples < 1) {
        throw new IllegalStateException("no record made the round trip in " + ctx.settings().duration());
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("p50Ms", millis(histogram.getValueAtPercentile(50)));
      metrics.put("p99Ms", millis(histogram.getValueAtPercentile(99)));
      metrics.put("p999Ms", millis(histogram.getValueAtPercentile(99.9)));
      metrics.put("maxMs", millis(histogram.getMaxValue()));
      metrics.put("samples", (double) samples);
      metrics.put("valueBytes", (double) recordSize);
      return new ScenarioResult(Figure.latencyMillis("p99", millis(histogram.getValueAtPercentile(99))), metrics);
    } finally {
      ctx.deleteTopic(topic);
    }
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** The closed send-then-consume loop; the first 8 bytes of each value carry its sequence number. */
  private final class Loop {
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration timeout;
    private final byte[] value = new byte[recordSize];
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long sequence;

    Loop(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer, String topic, Duration timeout) {
      this.producer = producer;
      this.consumer = consumer;
      this.topic = topic;
      this.timeout = timeout;
      new Random(recordSize).nextBytes(value);
    }

    /** Round trips for {@code limit}; records each latency when {@code histogram} is given. Returns the count. */
    long runFor(Duration limit, Histogram histogram) {
      long end = System.nanoTime() + limit.toNanos();
      long count = 0;
      while (System.nanoTime() < end) {
        long latency = roundTrip();
        if (histogram != null) {
          histogram.recordValue(Math.min(latency, HIGHEST_TRACKABLE_NANOS));
        }
        count++;
      }
      return count;
    }

    private long roundTrip() {
      long expected = sequence++;
      ByteBuffer.wrap(value).putLong(0, expected);
      long sent = System.nanoTime();
      byte[] key = RawRecords.correlationId(expected).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      producer.send(new ProducerRecord<>(topic, key, value.clone()), (metadata, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        }
      });
      long deadline = sent + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (failure.get() != null) {
          throw new IllegalStateException("the broker refused a record on " + topic + ": " + failure.get(), failure.get());
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          if (ByteBuffer.wrap(r.value()).getLong(0) == expected) {
            return System.nanoTime() - sent;
          }
        }
      }
      throw new IllegalStateException("record " + expected + " on " + topic + " was not consumed within " + timeout);
    }
  }
}

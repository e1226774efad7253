package dev.quartet.bench;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Baseline: a plain Kafka consumer (assigned every partition, no group) reading a filled topic
 * from the beginning, once to warm up and once measured, each pass ending at its time limit or
 * when the topic is read to its end.
 */
final class RawConsumerScenario implements BenchScenario {
  private static final Duration POLL = Duration.ofMillis(100);
  private final int recordSize;

  RawConsumerScenario(int recordSize) {
    this.recordSize = recordSize;
  }

  @Override
  public String name() {
    return "raw-consumer";
  }

  @Override
  public String description() {
    return "plain Kafka consumer reading " + recordSize + " B values from the beginning of a filled topic";
  }

  @Override
  public Kind kind() {
    return Kind.BASELINE;
  }

  @Override
  public ScenarioResult run(BenchContext ctx) {
    FilledTopic input = ctx.filledTopic(recordSize);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ctx.consumerConfig("consumer"))) {
      List<PartitionInfo> partitions = consumer.partitionsFor(input.topic(), ctx.settings().operationTimeout());
      consumer.assign(partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList());
      if (!ctx.settings().warmup().isZero()) {
        pass(consumer, input, ctx.settings().warmup());
      }
      ctx.startMeasuring();
      Pass measured = pass(consumer, input, ctx.settings().duration());
      ctx.stopMeasuring();
      if (measured.records() < 1) {
        throw new IllegalStateException("read no record of " + input.topic() + " in " + ctx.settings().duration());
      }
      double perSecond = measured.records() / measured.seconds();
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("recordsPerSec", perSecond);
      metrics.put("megabytesPerSec", measured.bytes() / measured.seconds() / 1e6);
      metrics.put("records", (double) measured.records());
      metrics.put("seconds", measured.seconds());
      metrics.put("valueBytes", (double) recordSize);
      metrics.put("readToEnd", measured.records() >= input.records() ? 1.0 : 0.0);
      return new ScenarioResult(Figure.recordsPerSecond(perSecond), metrics);
    }
  }

  private record Pass(long records, long bytes, double seconds) {}

  private static Pass pass(KafkaConsumer<byte[], byte[]> consumer, FilledTopic input, Duration limit) {
    consumer.seekToBeginning(consumer.assignment());
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    long records = 0;
    long bytes = 0;
    long lastRecordAt = start;
    while (records < input.records() && System.nanoTime() < deadline) {
      ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
      if (!batch.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          bytes += r.serializedValueSize();
        }
        records += batch.count();
        lastRecordAt = System.nanoTime();
      }
    }
    // A pass that read everything ends with its last record, not with the empty poll after it.
    long end = records >= input.records() ? lastRecordAt : System.nanoTime();
    return new Pass(records, bytes, Math.max(1, end - start) / 1e9);
  }
}

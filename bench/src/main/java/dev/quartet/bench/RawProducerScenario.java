package dev.quartet.bench;

import org.apache.kafka.clients.producer.KafkaProducer;

import java.util.LinkedHashMap;
import java.util.Map;

/** Baseline: a plain Kafka producer (acks=all, idempotent) sending {@code recordSize}-byte values as fast as it can. */
final class RawProducerScenario implements BenchScenario {
  private final int recordSize;

  RawProducerScenario(int recordSize) {
    this.recordSize = recordSize;
  }

  /** The name of the producer baseline at {@code recordSize}, for scenarios that compare with it. */
  static String nameFor(int recordSize) {
    return "raw-producer-" + BenchSettings.sizeLabel(recordSize);
  }

  @Override
  public String name() {
    return nameFor(recordSize);
  }

  @Override
  public String description() {
    return "plain Kafka producer, " + recordSize + " B values, acks=all, idempotent";
  }

  @Override
  public Kind kind() {
    return Kind.BASELINE;
  }

  @Override
  public ScenarioResult run(BenchContext ctx) {
    String topic = ctx.createTopic("producer-" + BenchSettings.sizeLabel(recordSize));
    ProducerRun.Throughput t;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ctx.producerConfig("producer"))) {
      t = ProducerRun.run(producer, new RawRecords(recordSize), topic, ctx.settings().warmup(),
          ctx.settings().duration(), ctx::startMeasuring, ctx::stopMeasuring);
      producer.close(ctx.settings().operationTimeout());
    } catch (RuntimeException e) {
      ctx.deleteTopic(topic);
      throw e;
    }
    ctx.retire(new FilledTopic(topic, recordSize, t.totalAcknowledged()));
    return throughputResult(t, recordSize);
  }

  /** The figures every producer-shaped scenario reports. */
  static ScenarioResult throughputResult(ProducerRun.Throughput t, int valueBytes) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("recordsPerSec", t.recordsPerSecond());
    metrics.put("megabytesPerSec", t.megabytesPerSecond());
    metrics.put("records", (double) t.records());
    metrics.put("seconds", t.seconds());
    metrics.put("valueBytes", (double) valueBytes);
    return new ScenarioResult(Figure.recordsPerSecond(t.recordsPerSecond()), metrics);
  }
}

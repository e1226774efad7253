package dev.quartet.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Baseline: the exactly-once consume → produce copy loop Quartet's task pipeline builds on. A
 * group member reads a filled topic with {@code read_committed}, copies every record to an output
 * topic inside a transaction, and commits (offsets with the transaction) every commit interval.
 * Only records of committed transactions count.
 */
final class RawTransactionalCopyScenario implements BenchScenario {
  /** Its name, for the scenarios compared with it. */
  static final String NAME = "raw-eos-copy";
  private final int recordSize;

  RawTransactionalCopyScenario(int recordSize) {
    this.recordSize = recordSize;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "plain Kafka transactional copy loop (read_committed, EOS), " + recordSize + " B values";
  }

  @Override
  public Kind kind() {
    return Kind.BASELINE;
  }

  @Override
  public ScenarioResult run(BenchContext ctx) {
    BenchSettings s = ctx.settings();
    FilledTopic input = ctx.filledTopic(recordSize);
    String output = ctx.createTopic("eos-copy-out");
    Map<String, Object> producerConfig = ctx.producerConfig("eos-copy");
    producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, ctx.uniqueId("eos-copy-txn"));
    Map<String, Object> consumerConfig = ctx.consumerConfig("eos-copy");
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, ctx.uniqueId("eos-copy-group"));
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig);
         KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
      producer.initTransactions();
      consumer.subscribe(List.of(input.topic()));
      CopyLoop loop = new CopyLoop(producer, consumer, input, output, s.commitInterval());
      loop.awaitAssignment(s.operationTimeout());
      producer.beginTransaction();
      loop.copyFor(s.warmup());
      if (loop.exhausted()) {
        throw new IllegalStateException("the " + input.records() + " records of " + input.topic()
            + " were all copied during warm-up; nothing left to measure");
      }
      ctx.startMeasuring();
      long before = loop.committedRecords();
      long start = System.nanoTime();
      loop.copyFor(s.duration());
      long records = loop.committedRecords() - before;
      double seconds = (System.nanoTime() - start) / 1e9;
      ctx.stopMeasuring();
      producer.abortTransaction();
      if (records < 1) {
        throw new IllegalStateException("no transaction committed in " + s.duration());
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("recordsPerSec", records / seconds);
      metrics.put("megabytesPerSec", records * (double) recordSize / seconds / 1e6);
      metrics.put("records", (double) records);
      metrics.put("seconds", seconds);
      metrics.put("transactions", (double) loop.transactions());
      metrics.put("commitIntervalMs", (double) s.commitInterval().toMillis());
      metrics.put("valueBytes", (double) recordSize);
      metrics.put("inputExhausted", loop.exhausted() ? 1.0 : 0.0);
      return new ScenarioResult(Figure.recordsPerSecond(records / seconds), metrics);
    } finally {
      ctx.deleteTopic(output);
    }
  }

  /** The loop itself; it ends each call to {@link #copyFor} with a commit, so counts are of committed records. */
  private static final class CopyLoop {
    private static final Duration MAX_POLL = Duration.ofMillis(100);
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final FilledTopic input;
    private final String output;
    private final Duration commitInterval;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long consumed;
    private long inTransaction;
    private long committed;
    private long transactions;

    CopyLoop(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> consumer, FilledTopic input,
             String output, Duration commitInterval) {
      this.producer = producer;
      this.consumer = consumer;
      this.input = input;
      this.output = output;
      this.commitInterval = commitInterval;
    }

    void awaitAssignment(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (consumer.assignment().isEmpty()) {
        if (System.nanoTime() >= deadline) {
          throw new BenchUnavailableException("the copy loop's consumer got no partition of " + input.topic()
              + " within " + timeout, null);
        }
        // Poll joins the group; records it returns would be skipped, so rewind to the committed start.
        if (!consumer.poll(MAX_POLL).isEmpty()) {
          consumer.seekToBeginning(consumer.assignment());
        }
      }
    }

    void copyFor(Duration limit) {
      long end = System.nanoTime() + limit.toNanos();
      long lastCommit = System.nanoTime();
      Duration poll = commitInterval.compareTo(MAX_POLL) < 0 ? commitInterval : MAX_POLL;
      while (System.nanoTime() < end && !exhausted()) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(poll);
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          producer.send(new ProducerRecord<>(output, r.key(), r.value()), (metadata, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            }
          });
        }
        consumed += batch.count();
        inTransaction += batch.count();
        if (System.nanoTime() - lastCommit >= commitInterval.toNanos()) {
          commit();
          lastCommit = System.nanoTime();
        }
      }
      commit();
    }

    private void commit() {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (TopicPartition tp : consumer.assignment()) {
        offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
      }
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      producer.commitTransaction();
      if (failure.get() != null) {
        throw new IllegalStateException("the broker refused a copied record on " + output + ": " + failure.get(), failure.get());
      }
      committed += inTransaction;
      inTransaction = 0;
      transactions++;
      producer.beginTransaction();
    }

    boolean exhausted() {
      return consumed >= input.records();
    }

    long committedRecords() {
      return committed;
    }

    long transactions() {
      return transactions;
    }
  }
}

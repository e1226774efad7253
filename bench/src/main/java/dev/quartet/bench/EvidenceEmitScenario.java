package dev.quartet.bench;

import dev.quartet.schemas.EvidenceEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Quartet: emitting evidence as the planes' {@code EvidenceEmitter} does — a typical
 * {@code EvidenceEvent} built, single-object encoded with {@code EventCodec} and sent keyed by its
 * correlation id, acks=all, idempotent — against the raw producer at the same record size.
 *
 * <p>This is the emit step only; {@link EvidenceAppendScenario} measures the log itself (Merkle tree
 * + signed checkpoints) and carries the goal.
 */
final class EvidenceEmitScenario implements BenchScenario {
  /** Its name; "emit", not "append": no tree, no checkpoint. */
  static final String NAME = "evidence-emit";
  private final int recordSize;
  private final EvidenceEvents events;

  EvidenceEmitScenario(int recordSize) {
    this.recordSize = recordSize;
    this.events = EvidenceEvents.ofEncodedSize(recordSize);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "EvidenceEvent built + EventCodec-encoded (" + recordSize + " B) + sent keyed by correlation id, acks=all;"
        + " emit only (evidence-append measures the log)";
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
  public ScenarioResult run(BenchContext ctx) {
    String topic = ctx.createTopic("evidence-emit");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ctx.producerConfig("evidence-emit"))) {
      RecordSource source = (t, i) -> {
        // What EvidenceEmitter does per event: key by correlation id, single-object encode.
        EvidenceEvent event = events.next(i);
        return new ProducerRecord<>(t, event.getCorrelationId().getBytes(StandardCharsets.UTF_8), events.encode(event));
      };
      ProducerRun.Throughput result = ProducerRun.run(producer, source, topic, ctx.settings().warmup(),
          ctx.settings().duration(), ctx::startMeasuring, ctx::stopMeasuring);
      producer.close(ctx.settings().operationTimeout());
      return RawProducerScenario.throughputResult(result, events.encodedSize());
    } finally {
      ctx.deleteTopic(topic);
    }
  }
}

package dev.quartet.cli;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.evidence.EvidenceGapEvents;
import dev.quartet.contracts.evidence.EvidenceSource;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.runtime.BuildInfo;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The witness's alarm on the evidence log itself: an {@code evidence.split-view} or
 * {@code evidence.fork} event carrying both signed notes, so the alert proves itself to anyone
 * holding the trust root (the log cannot deny having signed either view).
 */
final class WitnessAlert {
  private WitnessAlert() {}

  /** The alert event for {@code fork}, correlated by the log origin so all alerts about one log group together. */
  static EvidenceEvent event(WitnessCheck.Outcome.Forked fork, String witnessId, Instant now) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("origin", fork.origin());
    attributes.put("seenSize", Long.toString(fork.seen().size()));
    attributes.put("seenRoot", fork.seen().rootHex());
    attributes.put("seenNote", fork.seen().signedNote());
    attributes.put("size", Long.toString(fork.size()));
    attributes.put("root", fork.rootHex());
    attributes.put("note", fork.signedNote());
    attributes.put("reason", fork.reason());
    attributes.put("witness", witnessId);
    return EvidenceGapEvents.system(fork.kind(), "detected", fork.origin(), now, attributes,
        new EvidenceSource(Plane.EVIDENCE, witnessId, "quartet-witness " + BuildInfo.version()));
  }

  /**
   * Writes {@code event} to the evidence topic of {@code bootstrap}, waiting at most {@code timeout}.
   *
   * @throws IllegalStateException when it cannot be written in time
   */
  static void write(String bootstrap, EvidenceEvent event, Duration timeout) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis(),
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
        // delivery.timeout.ms must cover linger.ms + request.timeout.ms
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (timeout.toMillis() / 2));
    try (var producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(TopicCatalog.EVIDENCE_EVENTS, event.getCorrelationId().getBytes(StandardCharsets.UTF_8),
          EventCodec.standard().encode(event))).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("cannot write the " + event.getType() + " alert to " + TopicCatalog.EVIDENCE_EVENTS
          + " within " + timeout + ": " + e.getClass().getSimpleName(), e);
    }
  }
}

package dev.quartet.contracts.evidence;

import org.apache.kafka.clients.producer.RecordMetadata;

/** What became of a best-effort evidence event ({@link EvidenceClient#emit}). */
public sealed interface EvidenceDelivery {
  /** Durably written to the evidence topic. */
  record Written(RecordMetadata at) implements EvidenceDelivery {}

  /** Held in the encrypted local buffer; written after the gap once the topic recovers. */
  record Buffered() implements EvidenceDelivery {}

  /** Lost: the buffer was full or unusable. Counted, and stated in the next gap event. */
  record Dropped() implements EvidenceDelivery {}
}

package dev.quartet.evidence.kafka;

import dev.quartet.contracts.kafka.ConsumedEvent;
import dev.quartet.evidence.domain.IndexedEvidence;
import dev.quartet.schemas.EvidenceEvent;

import java.util.List;
import java.util.Locale;

/** The index row of one evidence record: the one translation the indexer and a rebuild share, so both arrive at the same rows. */
final class IndexRows {
  private IndexRows() {}

  static IndexedEvidence of(EvidenceEvent e, String topic, int partition, long offset) {
    return new IndexedEvidence(0, e.getId(), e.getType(), e.getTenant(), e.getCorrelationId(),
        e.getExecutionId(), e.getProducerPlane().name().toLowerCase(Locale.ROOT), e.getProducerVersion(),
        e.getOutcome(), e.getOccurredAt(), topic, partition, offset, e.getCorrects(), List.of());
  }

  static IndexedEvidence of(EvidenceEvent e, ConsumedEvent consumed) {
    return of(e, consumed.topic(), consumed.partition(), consumed.offset());
  }
}

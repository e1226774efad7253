package dev.quartet.evidence.api;

import dev.quartet.evidence.domain.IndexedEvidence;
import io.micronaut.serde.annotation.Serdeable;

/** An evidence event as the API shows it: attributes and log position, never payload content. */
@Serdeable
public record EvidenceView(long seq, String id, String type, String tenant, String correlationId,
                           String executionId, String plane, String producerVersion, String outcome,
                           String occurredAt, String topic, int partition, long offset) {
  static EvidenceView of(IndexedEvidence e) {
    return new EvidenceView(e.seq(), e.id(), e.type(), e.tenant(), e.correlationId(), e.executionId(),
        e.producerPlane(), e.producerVersion(), e.outcome(), e.occurredAt().toString(), e.topic(),
        e.partition(), e.offset());
  }
}

package dev.quartet.evidence.api;

import dev.quartet.evidence.domain.IndexedEvidence;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * An evidence event as the API shows it: attributes and log position, never payload content;
 * {@code corrects} names the event it corrects, {@code correctedBy} the events that correct it.
 */
@Serdeable
public record EvidenceView(long seq, String id, String type, String tenant, String correlationId,
                           String executionId, String plane, String producerVersion, String outcome,
                           String occurredAt, String topic, int partition, long offset,
                           @Nullable String corrects, List<String> correctedBy) {
  static EvidenceView of(IndexedEvidence e) {
    return new EvidenceView(e.seq(), e.id(), e.type(), e.tenant(), e.correlationId(), e.executionId(),
        e.producerPlane(), e.producerVersion(), e.outcome(), e.occurredAt().toString(), e.topic(),
        e.partition(), e.offset(), e.corrects(), e.correctedBy());
  }
}

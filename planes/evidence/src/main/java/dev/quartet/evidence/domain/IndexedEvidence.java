package dev.quartet.evidence.domain;

import java.time.Instant;
import java.util.List;

/**
 * One evidence event as the index holds it: its attributes plus where it sits in the log, the
 * event it corrects ({@code null} for an original) and, when read back, the events correcting it.
 */
public record IndexedEvidence(long seq, String id, String type, String tenant, String correlationId,
                              String executionId, String producerPlane, String producerVersion,
                              String outcome, Instant occurredAt, String topic, int partition, long offset,
                              String corrects, List<String> correctedBy) {
  public IndexedEvidence {
    correctedBy = correctedBy == null ? List.of() : List.copyOf(correctedBy);
  }
}

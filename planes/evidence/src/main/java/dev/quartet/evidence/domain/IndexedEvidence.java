package dev.quartet.evidence.domain;

import java.time.Instant;

/** One evidence event as the index holds it: its attributes plus where it sits in the log. */
public record IndexedEvidence(long seq, String id, String type, String tenant, String correlationId,
                              String executionId, String producerPlane, String producerVersion,
                              String outcome, Instant occurredAt, String topic, int partition, long offset) {}

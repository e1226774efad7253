package dev.quartet.evidence.domain;

import java.time.Instant;

/**
 * A query over the evidence index: every criterion is optional except the page bound. Pages are
 * ordered by index sequence; {@code afterSeq} continues where the previous page ended.
 */
public record EvidenceQuery(Instant from, Instant to, String correlationId, String executionId,
                            String type, String tenant, long afterSeq, int limit) {
  public EvidenceQuery {
    if (from != null && to != null && from.isAfter(to)) {
      throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
    }
    if (afterSeq < 0) {
      throw new IllegalArgumentException("after must be a non-negative sequence, was " + afterSeq);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }
}

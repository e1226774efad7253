package dev.quartet.contracts.evidence;

import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.EvidenceGap;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evidence events that state gaps, so they land in the Merkle evidence log next to what they are
 * about. The {@code EvidenceGap} record on {@code quartet.evidence.gaps} carries the same facts.
 */
public final class EvidenceGapEvents {
  /** Evidence was lost or delayed: stated before any buffered evidence is flushed. */
  public static final String GAP = "evidence.gap";
  /** A plane that had gone silent is heard from again. */
  public static final String GAP_CLOSED = "evidence.gap.closed";
  /** Attribute: id of the gap (also the correlation id of its events). */
  public static final String GAP_ID = "gapId";
  /** Attribute: kind of gap, {@link #KIND_UNWRITABLE} or {@link #KIND_SILENT}. */
  public static final String KIND = "gapKind";
  /** Attribute: plane whose evidence is missing (lowercase id). */
  public static final String GAP_PLANE = "gapPlane";
  /** Attribute: instance whose evidence is missing. */
  public static final String GAP_PRODUCER_ID = "gapProducerId";
  /** Attribute: why, no payload content. */
  public static final String REASON = "reason";
  /** Attribute: events lost (dropped), decimal. */
  public static final String LOST_COUNT = "lostCount";
  /** Attribute: events delayed in the local buffer and flushed right after the gap, decimal. */
  public static final String BUFFERED_COUNT = "bufferedCount";
  /** Attribute: start of the range, ISO-8601 instant, inclusive. */
  public static final String FROM = "from";
  /** Attribute: end of the range, ISO-8601 instant, inclusive. */
  public static final String TO = "to";
  /** Attribute: when the gap was detected, ISO-8601 instant. */
  public static final String DETECTED_AT = "detectedAt";
  /** Gap kind: the evidence topic could not be written. */
  public static final String KIND_UNWRITABLE = "unwritable";
  /** Gap kind: a plane instance stopped heartbeating. */
  public static final String KIND_SILENT = "silent";

  private EvidenceGapEvents() {}

  /**
   * The {@link #GAP} evidence event stating {@code gap}, emitted by {@code emitter}.
   *
   * @param extra further attributes (e.g. {@link #BUFFERED_COUNT}); never payload content
   */
  public static EvidenceEvent gap(String gapId, String kind, EvidenceGap gap, Map<String, String> extra,
                                  EvidenceSource emitter) {
    Map<String, String> attributes = new HashMap<>(extra);
    attributes.put(GAP_ID, gapId);
    attributes.put(KIND, kind);
    attributes.put(GAP_PLANE, gap.getProducerPlane().name().toLowerCase(java.util.Locale.ROOT));
    if (gap.getProducerId() != null) {
      attributes.put(GAP_PRODUCER_ID, gap.getProducerId());
    }
    attributes.put(REASON, gap.getReason());
    attributes.put(LOST_COUNT, Long.toString(gap.getLostCount()));
    attributes.put(FROM, gap.getFrom().toString());
    attributes.put(TO, gap.getTo().toString());
    attributes.put(DETECTED_AT, gap.getDetectedAt().toString());
    return system(GAP, "gap", gapId, gap.getDetectedAt(), attributes, emitter);
  }

  /** A system-tenant evidence event of {@code type} with the given attributes, emitted by {@code emitter}. */
  public static EvidenceEvent system(String type, String outcome, String correlationId, Instant occurredAt,
                                     Map<String, String> attributes, EvidenceSource emitter) {
    return EvidenceEvent.newBuilder()
        .setId(java.util.UUID.randomUUID().toString())
        .setType(type)
        .setTenant("system")
        .setCorrelationId(correlationId)
        .setExecutionId(null)
        .setApprovals(List.of())
        .setArtifactDigests(Map.of())
        .setOutcome(outcome)
        .setOccurredAt(occurredAt)
        .setProducerPlane(emitter.avroPlane())
        .setProducerVersion(emitter.producerVersion())
        .setAttributes(attributes)
        .build();
  }
}

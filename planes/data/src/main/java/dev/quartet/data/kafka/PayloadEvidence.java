package dev.quartet.data.kafka;

import dev.quartet.data.domain.Classification;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.PayloadTooLargeException;
import dev.quartet.data.domain.StoredPayload;
import dev.quartet.data.domain.UploadSlot;
import dev.quartet.runtime.BuildInfo;
import dev.quartet.runtime.EvidenceEmitter;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.Plane;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The data plane's evidence events: ids, digests, sizes and limits, never payload content. */
@Singleton
public class PayloadEvidence {
  /** Evidence type of a stored payload. */
  public static final String STORED = "payload.stored";
  /** Evidence type of a refused upload. */
  public static final String REJECTED = "payload.rejected";
  /** Evidence type of an issued signed URL (read) or upload slot (write). */
  public static final String URL_ISSUED = "payload.url-issued";
  private final EvidenceEmitter emitter;

  PayloadEvidence(EvidenceEmitter emitter) {
    this.emitter = emitter;
  }

  /** Who asked and under which correlation: the context every payload event carries. */
  public record Context(String principal, String tenant, String correlationId) {}

  /** Records that {@code p} was stored. */
  public CompletableFuture<RecordMetadata> stored(StoredPayload p, Context ctx) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("ref", p.id().ref());
    attributes.put("size", Long.toString(p.size()));
    attributes.put("classification", p.classification().name());
    attributes.put("inline", Boolean.toString(p.inline()));
    if (p.keyId() != null) {
      attributes.put("keyId", p.keyId());
    }
    return emitter.emit(event(STORED, "stored", p.route(), ctx, p.storedAt(), Map.of("payload", p.sha256().hex()), attributes));
  }

  /** Records that upload {@code id} was refused: {@code reason} names the rule, never content. */
  public CompletableFuture<RecordMetadata> rejected(PayloadId id, Classification classification, String route,
                                                    String reason, PayloadTooLargeException limit, Context ctx, Instant at) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("ref", id.ref());
    attributes.put("classification", classification.name());
    attributes.put("reason", reason);
    if (limit != null) {
      attributes.put("limitName", limit.limitName());
      attributes.put("limit", Long.toString(limit.limit()));
      attributes.put("size", Long.toString(limit.seen()));
      attributes.put("sizeDeclared", Boolean.toString(limit.declared()));
    }
    return emitter.emit(event(REJECTED, "rejected", route, ctx, at, Map.of(), attributes));
  }

  /**
   * Records that a signed URL was issued: {@code access} "read" for a payload ({@code p}), "write"
   * for an upload slot ({@code slot}). The URL and its signature are never recorded.
   */
  public CompletableFuture<RecordMetadata> urlIssued(String access, StoredPayload p, UploadSlot slot, Duration ttl,
                                                     Instant expiresAt, Context ctx, Instant at) {
    Map<String, String> attributes = new HashMap<>();
    Map<String, String> digests = new HashMap<>();
    attributes.put("access", access);
    attributes.put("ttlSeconds", Long.toString(ttl.toSeconds()));
    attributes.put("expiresAt", expiresAt.toString());
    String route;
    if (p != null) {
      attributes.put("ref", p.id().ref());
      attributes.put("classification", p.classification().name());
      digests.put("payload", p.sha256().hex());
      route = p.route();
    } else {
      attributes.put("slotId", slot.id().toString());
      attributes.put("classification", slot.classification().name());
      attributes.put("maxBytes", Long.toString(slot.maxBytes()));
      if (slot.expectedSha256() != null) {
        digests.put("payload", slot.expectedSha256().hex());
      }
      route = slot.route();
    }
    return emitter.emit(event(URL_ISSUED, "issued", route, ctx, at, digests, attributes));
  }

  private static EvidenceEvent event(String type, String outcome, String route, Context ctx, Instant at,
                                     Map<String, String> digests, Map<String, String> attributes) {
    attributes.put("principal", ctx.principal());
    return EvidenceEvent.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setType(type)
        .setTenant(ctx.tenant())
        .setCorrelationId(ctx.correlationId())
        .setExecutionId(null)
        .setRoute(route)
        .setApprovals(List.of())
        .setArtifactDigests(digests)
        .setOutcome(outcome)
        .setOccurredAt(at)
        .setProducerPlane(Plane.DATA)
        .setProducerVersion(BuildInfo.version())
        .setAttributes(attributes)
        .build();
  }
}

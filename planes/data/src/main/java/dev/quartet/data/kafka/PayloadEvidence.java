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
  /** Evidence type of a payload whose stored bytes could not be served (missing, store unreachable). */
  public static final String UNAVAILABLE = "payload.unavailable";
  /** Evidence type of a payload moved to quarantine for breaking its route's rules. */
  public static final String QUARANTINED = "payload.quarantined";
  /** Evidence type of a quarantined payload released by a data admin. */
  public static final String QUARANTINE_RELEASED = "payload.quarantine-released";
  /** Evidence type of a key-encryption key rotation and the re-wrap of its data keys. */
  public static final String KEK_ROTATED = "payload.kek-rotated";
  /** Evidence type of a payload retired by its config's retention (its blob removed once no live payload references it). */
  public static final String RETENTION_DELETED = "payload.retention-deleted";
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

  /**
   * Records that {@code p} was asked for and could not be served: {@code reason} names the cause
   * ("blob-missing", "store-unreachable", "kafka-timeout"); nothing was substituted.
   */
  public CompletableFuture<RecordMetadata> unavailable(StoredPayload p, String reason, Context ctx, Instant at) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("ref", p.id().ref());
    attributes.put("classification", p.classification().name());
    attributes.put("reason", reason);
    attributes.put("location", p.location().uri());
    return emitter.emit(event(UNAVAILABLE, "unavailable", p.route(), ctx, at, Map.of("payload", p.sha256().hex()), attributes));
  }

  /** Records that {@code p} was quarantined for {@code reason} (the rule it broke) under config {@code configRef}. */
  public CompletableFuture<RecordMetadata> quarantined(StoredPayload p, String reason, String configRef, Context ctx, Instant at) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("ref", p.id().ref());
    attributes.put("classification", p.classification().name());
    attributes.put("reason", reason);
    if (configRef != null) {
      attributes.put("config", configRef);
    }
    return emitter.emit(event(QUARANTINED, "quarantined", p.route(), ctx, at, Map.of("payload", p.sha256().hex()), attributes));
  }

  /** Records that quarantined payload {@code p} was released by {@code ctx.principal()}. */
  public CompletableFuture<RecordMetadata> quarantineReleased(StoredPayload p, String reason, Context ctx, Instant at) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("ref", p.id().ref());
    attributes.put("classification", p.classification().name());
    attributes.put("quarantineReason", reason);
    return emitter.emit(event(QUARANTINE_RELEASED, "released", p.route(), ctx, at, Map.of("payload", p.sha256().hex()), attributes));
  }

  /** Records a KEK rotation: the new key, the keys retired, and how many data keys were re-wrapped or not. */
  public CompletableFuture<RecordMetadata> kekRotated(Classification classification, String newKeyId, List<String> retired,
                                                      List<String> kept, long rewrapped, long failed, Context ctx, Instant at) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("classification", classification.name());
    attributes.put("keyId", newKeyId);
    attributes.put("retiredKeyIds", String.join(",", retired));
    attributes.put("keptKeyIds", String.join(",", kept));
    attributes.put("rewrapped", Long.toString(rewrapped));
    attributes.put("failed", Long.toString(failed));
    return emitter.emit(event(KEK_ROTATED, failed == 0 ? "rotated" : "rotated-partially", null, ctx, at, Map.of(), attributes));
  }

  /**
   * Records that {@code p} was retired by retention {@code keep} of config {@code configRef}:
   * {@code blobReleased} says whether it was its blob's last live reference, so the blob is removed
   * (false: inline, or the blob is shared with a live payload and kept); an upload of the same
   * bytes committing meanwhile still keeps it.
   */
  public CompletableFuture<RecordMetadata> retentionDeleted(StoredPayload p, String configRef, Duration keep,
                                                            boolean blobReleased, Context ctx, Instant at) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("ref", p.id().ref());
    attributes.put("classification", p.classification().name());
    attributes.put("inline", Boolean.toString(p.inline()));
    attributes.put("location", p.location().uri());
    attributes.put("storedAt", p.storedAt().toString());
    attributes.put("retentionSeconds", Long.toString(keep.toSeconds()));
    attributes.put("config", configRef);
    attributes.put("blobReleased", Boolean.toString(blobReleased));
    return emitter.emit(event(RETENTION_DELETED, "deleted", p.route(), ctx, at, Map.of("payload", p.sha256().hex()), attributes));
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

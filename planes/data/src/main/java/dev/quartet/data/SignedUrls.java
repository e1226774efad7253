package dev.quartet.data;

import dev.quartet.contracts.ProblemType;
import dev.quartet.data.config.PayloadSettings;
import dev.quartet.data.config.SignedUrlSettings;
import dev.quartet.data.domain.Caller;
import dev.quartet.data.domain.Classification;
import dev.quartet.data.domain.DataAccess;
import dev.quartet.data.domain.DataAccessPolicy;
import dev.quartet.data.domain.DataRoles;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.Sha256;
import dev.quartet.data.domain.SignedResource;
import dev.quartet.data.domain.StoredPayload;
import dev.quartet.data.domain.Tenants;
import dev.quartet.data.domain.Upload;
import dev.quartet.data.domain.UploadSlot;
import dev.quartet.data.domain.UrlCheck;
import dev.quartet.data.domain.UrlSigner;
import dev.quartet.data.kafka.PayloadEventLog;
import dev.quartet.data.kafka.PayloadEvidence;
import dev.quartet.data.store.PayloadIndex;
import dev.quartet.data.store.UploadSlotStore;
import dev.quartet.runtime.ProblemException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and honours signed URLs: a read URL for one payload a caller may read, an upload slot
 * for one payload a caller may write. Issuing is recorded as evidence (never the URL). A URL is
 * its own authorization; anything wrong with it is 403, without saying whether the blob exists.
 */
@Singleton
public class SignedUrls {
  private static final Logger log = LoggerFactory.getLogger(SignedUrls.class);
  private final SignedUrlSettings settings;
  private final PayloadSettings payloads;
  private final UrlSigner signer;
  private final DataAccessPolicy policy;
  private final PayloadRetriever retriever;
  private final PayloadAcceptor acceptor;
  private final PayloadIndex index;
  private final UploadSlotStore slots;
  private final PayloadEvidence evidence;
  private final PayloadRecorder recorder;
  private final Clock clock = Clock.systemUTC();

  SignedUrls(SignedUrlSettings settings, PayloadSettings payloads, UrlSigner signer, DataAccessPolicy policy,
             PayloadRetriever retriever, PayloadAcceptor acceptor, PayloadIndex index, UploadSlotStore slots,
             PayloadEventLog events, PayloadEvidence evidence) {
    this.settings = settings;
    this.payloads = payloads;
    this.signer = signer;
    this.policy = policy;
    this.retriever = retriever;
    this.acceptor = acceptor;
    this.index = index;
    this.slots = slots;
    this.evidence = evidence;
    this.recorder = new PayloadRecorder(events, evidence, payloads.writeTimeout());
  }

  /**
   * An issued URL: its path and query (relative to the data plane), expiry, and what it grants.
   *
   * @param payload the payload a read URL grants; null for an upload slot
   * @param slot the upload slot a write URL grants; null for a read URL
   */
  public record IssuedUrl(String pathAndQuery, Instant expiresAt, StoredPayload payload, UploadSlot slot) {}

  /**
   * A URL reading payload {@code id} for {@code ttl} (null: the default).
   *
   * @throws ProblemException 404/403 as {@link PayloadRetriever#describe}; 400 for a TTL out of
   *     bounds; 503 when the evidence cannot be written
   */
  public IssuedUrl issueRead(Caller caller, PayloadId id, Duration ttl) {
    Duration validity = bounded(ttl);
    StoredPayload p = retriever.describe(caller, id);
    Instant now = clock.instant();
    Instant expiresAt = expiry(now, validity);
    var ctx = new PayloadEvidence.Context(caller.principal(), Tenants.evidenceTenant(p.tenant()),
        caller.correlationId() == null ? id.ref() : caller.correlationId());
    recorder.await(evidence.urlIssued("read", p, null, validity, expiresAt, ctx, now), "evidence of a URL for payload " + id);
    log.info("Read URL issued ref={} sha256={} principal={} ttl={}s expiresAt={} correlationId={}",
        id.ref(), p.sha256(), caller.principal(), validity.toSeconds(), expiresAt, ctx.correlationId());
    return new IssuedUrl(signer.pathAndQuery(new SignedResource.ReadableBlob(p.id(), p.sha256()), expiresAt), expiresAt, p, null);
  }

  /**
   * An upload slot for one payload of {@code classification}, owned like a direct upload of the caller's.
   *
   * @param tenant the tenant to store for (unscoped callers only; null: the caller's own)
   * @param expectedSha256 the digest the upload must have; null: any
   * @param maxBytes the largest upload taken; null: the plane's input limit
   * @throws ProblemException 403 without write clearance or for another tenant; 400 for bounds out of range
   */
  public IssuedUrl issueSlot(Caller caller, Classification classification, String route, String tenant,
                             Sha256 expectedSha256, Long maxBytes, Duration ttl) {
    Duration validity = bounded(ttl);
    if (!policy.allows(caller.roles(), DataAccess.WRITE, classification)) {
      throw new ProblemException(ProblemType.FORBIDDEN, "no role of " + caller.principal() + " may write "
          + classification + " payloads");
    }
    String owner;
    try {
      owner = caller.owningTenant(tenant);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.FORBIDDEN, e.getMessage());
    }
    long max = maxBytes == null ? payloads.maxInputBytes() : maxBytes;
    if (max < 0 || max > payloads.maxInputBytes()) {
      throw new ProblemException(ProblemType.VALIDATION, "maxBytes must be between 0 and max-input-bytes ("
          + payloads.maxInputBytes() + "), was " + max);
    }
    Instant now = clock.instant();
    Instant expiresAt = expiry(now, validity);
    UploadSlot slot = new UploadSlot(UUID.randomUUID(), classification, route == null ? payloads.defaultRoute() : route,
        owner, expectedSha256, max, caller.principal(), expiresAt);
    slots.insert(slot, now);
    var ctx = new PayloadEvidence.Context(caller.principal(), Tenants.evidenceTenant(owner),
        caller.correlationId() == null ? "quartet:slot/" + slot.id() : caller.correlationId());
    recorder.await(evidence.urlIssued("write", null, slot, validity, expiresAt, ctx, now), "evidence of upload slot " + slot.id());
    log.info("Upload slot issued slotId={} classification={} route={} maxBytes={} principal={} ttl={}s expiresAt={}",
        slot.id(), classification, slot.route(), max, caller.principal(), validity.toSeconds(), expiresAt);
    return new IssuedUrl(signer.pathAndQuery(slot, expiresAt), expiresAt, null, slot);
  }

  /**
   * The payload a read URL grants, checked.
   *
   * @throws ProblemException 403 when the URL is malformed, altered, expired, for another blob or method
   */
  public StoredPayload readable(String id, String method, String rawPath, String rawQuery) {
    Optional<StoredPayload> p = parsedId(id).flatMap(index::find);
    if (p.isEmpty()) {
      throw refused(rawPath, "the URL grants nothing");
    }
    granted(new SignedResource.ReadableBlob(p.get().id(), p.get().sha256()), method, rawPath, rawQuery);
    return p.get();
  }

  /**
   * Stores {@code body} through an upload slot's URL, once.
   *
   * @throws ProblemException 403 as {@link #readable} and when the slot was used; 400 when
   *     {@code headerSha256} contradicts the slot; otherwise as {@link PayloadAcceptor#accept}
   */
  public StoredPayload upload(String slotId, String method, String rawPath, String rawQuery, long declaredLength,
                              Sha256 headerSha256, InputStream body) {
    Optional<UploadSlot> found = Optional.empty();
    try {
      found = slots.find(UUID.fromString(slotId));
    } catch (IllegalArgumentException e) {
      // not a slot id: refused below like any URL that grants nothing
    }
    UploadSlot slot = found.orElseThrow(() -> refused(rawPath, "the URL grants nothing"));
    granted(slot, method, rawPath, rawQuery);
    Sha256 expected = slot.expectedSha256();
    if (expected != null && headerSha256 != null && !expected.equals(headerSha256)) {
      throw new ProblemException(ProblemType.VALIDATION, "X-Content-SHA256 contradicts the upload slot's expected digest");
    }
    if (!slots.claim(slot.id(), clock.instant())) {
      throw refused(rawPath, "the upload slot was already used");
    }
    // The slot carries the clearance checked when it was issued, for its classification only.
    Caller issuer = new Caller(slot.issuedBy(), Set.of(DataRoles.clearing(slot.classification())),
        slot.tenant() == null ? Caller.ANY_TENANT : slot.tenant(), "quartet:slot/" + slot.id());
    Upload upload = new Upload(slot.classification(), slot.route(), declaredLength, expected != null ? expected : headerSha256,
        slot.tenant());
    StoredPayload p;
    try {
      // A plane limit lowered since the slot was issued still applies.
      p = slot.maxBytes() <= payloads.maxInputBytes()
          ? acceptor.accept(issuer, upload, body, UploadSlot.LIMIT_NAME, slot.maxBytes())
          : acceptor.accept(issuer, upload, body);
    } catch (RuntimeException e) {
      slots.release(slot.id());
      throw e;
    }
    slots.complete(slot.id(), p.id());
    return p;
  }

  private void granted(SignedResource r, String method, String rawPath, String rawQuery) {
    if (signer.check(r, method, rawPath, rawQuery, clock.instant()) instanceof UrlCheck.Refused refusal) {
      throw refused(rawPath, refusal.reason());
    }
  }

  private static ProblemException refused(String rawPath, String reason) {
    // The path names the blob or slot; the query (signature) is never logged.
    log.info("Signed URL refused path={} reason={}", rawPath, reason);
    return new ProblemException(ProblemType.FORBIDDEN, reason);
  }

  private Duration bounded(Duration ttl) {
    Duration validity = ttl == null ? settings.defaultTtl() : ttl;
    if (validity.toSeconds() < 1 || validity.compareTo(settings.maxTtl()) > 0) {
      throw new ProblemException(ProblemType.VALIDATION, "ttl must be between 1s and " + settings.maxTtl().toSeconds()
          + "s (quartet.data.signed-urls.max-ttl), was " + validity.toSeconds() + "s");
    }
    return Duration.ofSeconds(validity.toSeconds());
  }

  private static Instant expiry(Instant now, Duration validity) {
    return Instant.ofEpochSecond(now.getEpochSecond()).plus(validity);
  }

  private static Optional<PayloadId> parsedId(String id) {
    try {
      return Optional.of(PayloadId.parse(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

package dev.quartet.data;

import dev.quartet.contracts.ProblemType;
import dev.quartet.data.config.BackpressureSettings;
import dev.quartet.data.config.PayloadSettings;
import dev.quartet.data.domain.Caller;
import dev.quartet.data.domain.Classification;
import dev.quartet.data.domain.DataAccess;
import dev.quartet.data.domain.DataAccessPolicy;
import dev.quartet.data.domain.InFlightBudget;
import dev.quartet.data.domain.LimitedInputStream;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.PayloadLocation;
import dev.quartet.data.domain.PayloadTooLargeException;
import dev.quartet.data.domain.Sha256;
import dev.quartet.data.domain.StoredPayload;
import dev.quartet.data.domain.Tenants;
import dev.quartet.data.domain.Upload;
import dev.quartet.data.domain.Quarantine;
import dev.quartet.data.domain.RouteDecision;
import dev.quartet.data.kafka.ConfigSnapshotFollower;
import dev.quartet.data.kafka.InlineRecordWriter;
import dev.quartet.data.kafka.PayloadEventLog;
import dev.quartet.data.kafka.PayloadEvidence;
import dev.quartet.data.store.BlobStore;
import dev.quartet.data.store.KekKeystore;
import dev.quartet.data.store.PayloadIndex;
import dev.quartet.runtime.OverloadedException;
import dev.quartet.runtime.ProblemException;
import io.micronaut.context.annotation.Context;
import io.micronaut.http.server.HttpServerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Accepts uploads: admission (access, declared size, in-flight budget) before any byte is read,
 * then streams the body through the size limit and SHA-256 into an inline record or a blob, and
 * indexes it with its {@code PayloadStored} event and evidence. The applied config's route decides
 * the limit, and an upload breaking its route's rule is stored into quarantine ({@code
 * PayloadQuarantined}, evidence). A refused upload leaves nothing stored; an accepted one (201) is
 * durable in Kafka or on disk and indexed.
 */
@Context
public class PayloadAcceptor {
  /** Name of the per-upload hard limit, as answered and recorded. */
  public static final String INPUT_LIMIT = "max-input-bytes";
  private static final Logger log = LoggerFactory.getLogger(PayloadAcceptor.class);
  private static final int COPY_BUFFER = 64 * 1024;

  private final PayloadSettings settings;
  private final BackpressureSettings backpressure;
  private final InFlightBudget budget;
  private final DataAccessPolicy policy;
  private final BlobStore blobs;
  private final KekKeystore keks;
  private final InlineRecordWriter records;
  private final PayloadIndex index;
  private final PayloadRecorder recorder;
  private final ConfigSnapshotFollower config;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock = Clock.systemUTC();

  PayloadAcceptor(PayloadSettings settings, BackpressureSettings backpressure, HttpServerConfiguration server,
                  InFlightBudget budget, DataAccessPolicy policy, BlobStore blobs, KekKeystore keks,
                  InlineRecordWriter records, PayloadEventLog events, PayloadEvidence evidence, PayloadIndex index,
                  ConfigSnapshotFollower config) {
    if (backpressure.maxInFlightBytes() < settings.maxInputBytes()) {
      throw new IllegalStateException("quartet.data.backpressure.max-in-flight-bytes (" + backpressure.maxInFlightBytes()
          + ") must be at least quartet.data.payloads.max-input-bytes (" + settings.maxInputBytes() + ")");
    }
    if (server.getMaxRequestSize() <= settings.maxInputBytes()) {
      throw new IllegalStateException("micronaut.server.max-request-size (" + server.getMaxRequestSize()
          + ") must exceed quartet.data.payloads.max-input-bytes (" + settings.maxInputBytes() + ")");
    }
    this.settings = settings;
    this.backpressure = backpressure;
    this.budget = budget;
    this.policy = policy;
    this.blobs = blobs;
    this.keks = keks;
    this.records = records;
    this.index = index;
    this.config = config;
    this.recorder = new PayloadRecorder(events, evidence, settings.writeTimeout());
  }

  /**
   * Stores {@code body} as a new payload.
   *
   * @throws ProblemException 403 without write clearance, 413 over the limit, 400 on a digest
   *     mismatch or a broken-off upload, 503 when Kafka cannot record it
   * @throws OverloadedException when the in-flight budget cannot take the upload now
   */
  public StoredPayload accept(Caller caller, Upload upload, InputStream body) {
    return accept(caller, upload, body, null, Long.MAX_VALUE);
  }

  /**
   * Stores {@code body} under its own limit (an upload slot's), named {@code limitName}, where it is
   * tighter than the plane's or the route's; {@code limitName} null: none of its own.
   *
   * @throws ProblemException as {@link #accept(Caller, Upload, InputStream)}; 413 names the limit that applied
   * @throws OverloadedException as {@link #accept(Caller, Upload, InputStream)}
   */
  public StoredPayload accept(Caller caller, Upload upload, InputStream body, String limitName, long limit) {
    Classification c = upload.classification();
    if (!policy.allows(caller.roles(), DataAccess.WRITE, c)) {
      throw new ProblemException(ProblemType.FORBIDDEN, "no role of " + caller.principal() + " may write " + c + " payloads");
    }
    String owner;
    try {
      owner = caller.owningTenant(upload.tenant());
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.FORBIDDEN, e.getMessage());
    }
    PayloadId id = PayloadId.random();
    PayloadEvidence.Context ctx = new PayloadEvidence.Context(caller.principal(), Tenants.evidenceTenant(owner),
        caller.correlationId() == null ? id.ref() : caller.correlationId());
    RouteDecision route = config.routes().decide(owner, upload.route(), c, clock.instant());
    if (route instanceof RouteDecision.Unavailable u) {
      recorder.recordRejection(id, upload, "config-unavailable", null, ctx, clock.instant());
      throw new ProblemException(ProblemType.UNAVAILABLE, u.reason() + "; nothing was stored");
    }
    // The applied route's limit replaces the static one (bounded by the in-flight budget, or it
    // could never be admitted); the caller's own limit applies only where it is tighter.
    OptionalLong routeLimit = route instanceof RouteDecision.Allowed a ? a.maxInputBytes()
        : route instanceof RouteDecision.Quarantine q ? q.maxInputBytes() : OptionalLong.empty();
    String planeLimitName = routeLimit.isPresent() ? "maxInputBytes of route " + upload.route() : INPUT_LIMIT;
    long planeLimit = routeLimit.isPresent() ? Math.min(routeLimit.getAsLong(), backpressure.maxInFlightBytes())
        : settings.maxInputBytes();
    if (limitName == null || limit > planeLimit) {
      limitName = planeLimitName;
      limit = planeLimit;
    }
    if (upload.declaredLength() > limit) {
      throw tooLarge(id, upload, ctx, new PayloadTooLargeException(limitName, limit, upload.declaredLength(), true));
    }
    // Undeclared length: reserve the worst case, the limit itself.
    long reservation = upload.declaredLength() >= 0 ? upload.declaredLength() : limit;
    if (!budget.tryAcquire(reservation)) {
      log.info("Upload refused, in-flight budget full: wanted={} used={} capacity={} correlationId={}",
          reservation, budget.used(), budget.capacity(), ctx.correlationId());
      throw new OverloadedException("in-flight upload bytes (" + budget.capacity() + ")", backpressure.retryAfter());
    }
    try {
      Quarantine quarantine = route instanceof RouteDecision.Quarantine q ? Quarantine.held(q.reason(), clock.instant()) : null;
      return store(id, caller, owner, upload, ctx, new LimitedInputStream(body, limitName, limit), quarantine);
    } finally {
      budget.release(reservation);
    }
  }

  private StoredPayload store(PayloadId id, Caller caller, String owner, Upload upload, PayloadEvidence.Context ctx,
                              LimitedInputStream limited, Quarantine quarantine) {
    Classification c = upload.classification();
    // Leased, not just read: a KEK rotation must not retire the key while this upload wraps with it.
    try (KekKeystore.Lease lease = c.encryptedAtRest() ? keks.lease(c) : null;
         PayloadSink sink = new PayloadSink(settings.inlineThresholdBytes(), blobs, lease == null ? null : lease.key(), random,
             settings.chunkSizeBytes())) {
      String keyId = lease == null ? null : lease.key().id();
      MessageDigest digest = Sha256.newDigest();
      long size = copy(limited, digest, sink, id, upload, ctx);
      Sha256 sha = Sha256.of(digest);
      if (upload.expectedSha256() != null && !upload.expectedSha256().equals(sha)) {
        recorder.recordRejection(id, upload, "digest-mismatch", null, ctx, clock.instant());
        throw new ProblemException(ProblemType.VALIDATION, "X-Content-SHA256 " + upload.expectedSha256()
            + " does not match the SHA-256 of the " + size + " bytes received (" + sha + "); nothing was stored");
      }
      PayloadLocation location = sink.inline()
          ? recorder.await(records.append(id, sink.inlineStoredBytes(), sha, c, keyId), "inline record of payload " + id)
          : new PayloadLocation.Blob(sink.commitBlob());
      StoredPayload p = new StoredPayload(id, sha, size, c, upload.route(), location, keyId, owner, caller.principal(),
          clock.instant(), quarantine);
      try {
        index.insert(p, () -> {
          requireBlobStillStored(p);
          recorder.recordStored(p, ctx);
        });
      } catch (UncheckedIOException e) {
        // Retention removed the blob of equal content between our commit and our row (the index
        // holds it from our row on): nothing is stored, the caller may simply upload again.
        boolean removed = e.getCause() instanceof NoSuchFileException;
        recorder.recordRejection(id, upload, removed ? "blob-removed-by-retention" : "store-unreachable", null, ctx,
            clock.instant());
        throw new ProblemException(ProblemType.UNAVAILABLE, removed
            ? "the blob of payload " + id.ref() + " was removed by retention while it was stored; nothing was stored, upload it again"
            : "the blob store cannot confirm payload " + id.ref() + " now; nothing was stored");
      }
      log.info("Payload stored id={} sha256={} size={} classification={} route={} tenant={} location={} keyId={} quarantined={} correlationId={}",
          id, sha, size, c, p.route(), ctx.tenant(), location.uri(), keyId, quarantine != null, ctx.correlationId());
      return p;
    } catch (IOException e) {
      // The body was read (its failures are answered in copy): this is the store failing us.
      log.error("Blob store cannot take payload {}: {} correlationId={}", id, e.getClass().getSimpleName(), ctx.correlationId());
      recorder.recordRejection(id, upload, "store-unreachable", null, ctx, clock.instant());
      throw new ProblemException(ProblemType.UNAVAILABLE, "the blob store cannot take payload " + id.ref()
          + " now; nothing was stored");
    }
  }

  /** Under the index's lock on its blob key: the blob of {@code p} is still there (retention did not remove it). */
  private void requireBlobStillStored(StoredPayload p) {
    if (p.location() instanceof PayloadLocation.Blob blob) {
      try {
        if (!blobs.exists(blob.key())) {
          throw new UncheckedIOException(new NoSuchFileException(blob.key().uri()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Copies the body into the sink, telling the caller's failures (413, broken upload) from ours. */
  private long copy(LimitedInputStream in, MessageDigest digest, PayloadSink sink, PayloadId id, Upload upload,
                    PayloadEvidence.Context ctx) throws IOException {
    byte[] buffer = new byte[COPY_BUFFER];
    while (true) {
      int n;
      try {
        n = in.read(buffer);
      } catch (PayloadTooLargeException e) {
        throw tooLarge(id, upload, ctx, e);
      } catch (IOException e) {
        throw new ProblemException(ProblemType.VALIDATION, "the upload broke off after " + in.count()
            + " bytes; nothing was stored");
      }
      if (n < 0) {
        return in.count();
      }
      digest.update(buffer, 0, n);
      sink.write(buffer, 0, n);
    }
  }

  private ProblemException tooLarge(PayloadId id, Upload upload, PayloadEvidence.Context ctx, PayloadTooLargeException e) {
    recorder.recordRejection(id, upload, "too-large", e, ctx, clock.instant());
    log.info("Upload refused id={} limit={}={} seen={} declared={} classification={} route={} correlationId={}",
        id, e.limitName(), e.limit(), e.seen(), e.declared(), upload.classification(), upload.route(), ctx.correlationId());
    return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, e.getMessage() + "; nothing was stored");
  }
}

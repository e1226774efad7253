package dev.quartet.data;

import dev.quartet.contracts.ProblemType;
import dev.quartet.data.domain.Caller;
import dev.quartet.data.domain.DataAccess;
import dev.quartet.data.domain.DataAccessPolicy;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.PayloadIntegrityException;
import dev.quartet.data.domain.PayloadLocation;
import dev.quartet.data.domain.StoredPayload;
import dev.quartet.data.domain.VerifyingInputStream;
import dev.quartet.data.domain.crypto.EnvelopeDecryptor;
import dev.quartet.data.domain.crypto.PayloadEnvelope;
import dev.quartet.data.domain.crypto.WrappedDataKey;
import dev.quartet.data.kafka.InlineRecordReader;
import dev.quartet.data.kafka.InlineRecordReader.Fetched;
import dev.quartet.data.kafka.PayloadEventLog;
import dev.quartet.data.kafka.PayloadEvidence;
import dev.quartet.data.kafka.PayloadHeaders;
import dev.quartet.data.config.PayloadSettings;
import dev.quartet.data.domain.Tenants;
import dev.quartet.data.store.BlobStore;
import dev.quartet.data.store.KekKeystore;
import dev.quartet.data.store.PayloadIndex;
import dev.quartet.runtime.ProblemException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;

/**
 * Serves stored payloads. Nothing unverified leaves: an inline payload is decrypted and checked
 * whole before it is returned (it is at most the inline threshold); a blob is checked in a first
 * pass and streamed in a second that checks again, so a blob altered in between breaks the
 * response off instead of completing it. Bytes that cannot be reached (a missing blob, an
 * unreadable store, Kafka not answering) are 503 with the reason and {@code payload.unavailable}
 * evidence: nothing else is ever served in their place.
 */
@Singleton
public class PayloadRetriever {
  private static final Logger log = LoggerFactory.getLogger(PayloadRetriever.class);
  private final PayloadIndex index;
  private final DataAccessPolicy policy;
  private final InlineRecordReader records;
  private final BlobStore blobs;
  private final KekKeystore keks;
  private final PayloadEvidence evidence;
  private final PayloadRecorder recorder;
  private final Clock clock = Clock.systemUTC();

  PayloadRetriever(PayloadIndex index, DataAccessPolicy policy, InlineRecordReader records, BlobStore blobs, KekKeystore keks,
                   PayloadSettings settings, PayloadEventLog events, PayloadEvidence evidence) {
    this.index = index;
    this.policy = policy;
    this.records = records;
    this.blobs = blobs;
    this.keks = keks;
    this.evidence = evidence;
    this.recorder = new PayloadRecorder(events, evidence, settings.writeTimeout());
  }

  /** A payload's description and its verified plaintext; the caller closes {@code content}. */
  public record PayloadContent(StoredPayload payload, InputStream content) {}

  /**
   * What the index knows about payload {@code id}.
   *
   * @throws ProblemException 404 when unknown or another tenant's, 403 without read clearance or
   *     while it is held in quarantine; 404 naming the retention once retention retired it
   */
  public StoredPayload describe(Caller caller, PayloadId id) {
    // Another tenant's payload answers exactly like an unknown one: its existence is not revealed.
    StoredPayload p = index.find(id).filter(found -> caller.sees(found.tenant()))
        .orElseThrow(() -> notFound(caller, id));
    if (!policy.allows(caller.roles(), DataAccess.READ, p.classification())) {
      throw new ProblemException(ProblemType.FORBIDDEN, "no role of " + caller.principal() + " may read "
          + p.classification() + " payloads");
    }
    requireNotQuarantined(p);
    return p;
  }

  private ProblemException notFound(Caller caller, PayloadId id) {
    // A retired payload says so to those who may see it (it existed, retention removed it); to
    // other tenants it answers exactly like an unknown one.
    return index.retired(id).filter(r -> caller.sees(r.tenant()))
        .map(r -> new ProblemException(ProblemType.NOT_FOUND, "payload " + id.ref() + " was removed at " + r.retiredAt()
            + " by the payload retention of config " + r.config() + "; its bytes are no longer served"))
        .orElseGet(() -> new ProblemException(ProblemType.NOT_FOUND, "no payload " + id.ref()));
  }

  private static void requireNotQuarantined(StoredPayload p) {
    if (p.quarantined()) {
      throw new ProblemException(ProblemType.FORBIDDEN, "payload " + p.id().ref() + " is held in quarantine ("
          + p.quarantine().reason() + "); a data admin may release it");
    }
  }

  /**
   * Payload {@code id}'s plaintext, verified.
   *
   * @throws ProblemException 404/403 as {@link #describe}; 500 when the stored bytes fail their
   *     integrity check; 503 when the bytes cannot be reached; 404 once past Kafka retention
   */
  public PayloadContent open(Caller caller, PayloadId id) {
    StoredPayload p = describe(caller, id);
    return open(p, new PayloadEvidence.Context(caller.principal(), Tenants.evidenceTenant(p.tenant()),
        caller.correlationId() == null ? id.ref() : caller.correlationId()));
  }

  /**
   * The verified plaintext of {@code p}, whose access was authorized elsewhere (a signed URL).
   *
   * @param ctx who asked, for the evidence of a failure to serve
   * @throws ProblemException 500, 503 or 404 as {@link #open(Caller, PayloadId)}
   */
  public PayloadContent open(StoredPayload p, PayloadEvidence.Context ctx) {
    PayloadId id = p.id();
    // A signed URL is no way around quarantine.
    requireNotQuarantined(p);
    try {
      if (p.location() instanceof PayloadLocation.InlineRecord at) {
        return new PayloadContent(p, new ByteArrayInputStream(inline(p, at, ctx)));
      }
      var key = ((PayloadLocation.Blob) p.location()).key();
      try (InputStream check = plaintext(blobs.open(key), p)) {
        check.transferTo(OutputStream.nullOutputStream());
      }
      return new PayloadContent(p, plaintext(blobs.open(key), p));
    } catch (PayloadIntegrityException e) {
      log.error("Payload {} sha256={} at {} failed its integrity check and is not served: {}",
          id, p.sha256(), p.location().uri(), e.getMessage());
      throw new ProblemException(ProblemType.INTERNAL, "stored payload " + id.ref()
          + " failed its integrity check and is not served");
    } catch (NoSuchFileException e) {
      log.error("Blob of payload {} is missing at {}", id, p.location().uri());
      throw unavailable(p, ctx, "blob-missing", "the stored bytes of payload " + id.ref()
          + " are missing from the blob store; nothing is served in their place");
    } catch (IOException e) {
      // Permissions, a directory replaced or unmounted, an I/O error: the store cannot be read now.
      log.error("Blob store unreadable for payload {} at {}: {}", id, p.location().uri(), e.getClass().getSimpleName());
      throw unavailable(p, ctx, "store-unreachable", "the blob store cannot be read for payload " + id.ref()
          + "; nothing is served in its place");
    }
  }

  private ProblemException unavailable(StoredPayload p, PayloadEvidence.Context ctx, String reason, String detail) {
    recorder.bestEffort(evidence.unavailable(p, reason, ctx, clock.instant()), "unavailability of payload " + p.id());
    return new ProblemException(ProblemType.UNAVAILABLE, detail);
  }

  private byte[] inline(StoredPayload p, PayloadLocation.InlineRecord at, PayloadEvidence.Context ctx) throws IOException {
    Fetched fetched = records.fetch(at, p.id());
    if (fetched instanceof Fetched.Expired expired) {
      throw new ProblemException(ProblemType.NOT_FOUND, "payload " + p.id().ref() + " has passed the retention of "
          + at.topic() + " (log now starts at offset " + expired.logStartOffset() + ")");
    }
    if (fetched instanceof Fetched.TimedOut t) {
      throw unavailable(p, ctx, "kafka-timeout", "payload " + p.id().ref() + " could not be read from Kafka within "
          + t.after().toSeconds() + "s; nothing is served in its place");
    }
    var found = (Fetched.Found) fetched;
    String expectedFormat = p.keyId() == null ? PayloadHeaders.FORMAT_RAW : PayloadHeaders.FORMAT_ENVELOPE;
    if (!expectedFormat.equals(found.formatHeader()) || !p.sha256().hex().equals(found.sha256Header())) {
      throw new PayloadIntegrityException("record " + at.uri() + " headers do not match the index");
    }
    try (InputStream in = plaintext(new ByteArrayInputStream(found.value()), p)) {
      return in.readAllBytes();
    }
  }

  private InputStream plaintext(InputStream stored, StoredPayload p) throws IOException {
    InputStream plain = stored;
    if (p.keyId() != null) {
      try {
        // After a KEK rotation the data key's current wrap is in the index, not the header; the
        // guard keeps a rotation from retiring the key between reading the wrap and unwrapping.
        WrappedDataKey rewrapped;
        EnvelopeDecryptor decryptor;
        try (KekKeystore.UnwrapGuard guard = keks.unwrapping()) {
          rewrapped = index.rewrappedKey(p.id()).orElse(null);
          decryptor = PayloadEnvelope.decrypting(stored, keks, rewrapped);
        }
        if (rewrapped == null && !decryptor.keyId().equals(p.keyId())) {
          throw new PayloadIntegrityException("envelope names key " + decryptor.keyId() + ", the index " + p.keyId());
        }
        plain = decryptor;
      } catch (IOException | RuntimeException e) {
        stored.close();
        throw e;
      }
    }
    return new VerifyingInputStream(plain, p.sha256(), p.size());
  }
}

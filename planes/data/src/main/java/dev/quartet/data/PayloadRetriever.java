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
import dev.quartet.data.kafka.InlineRecordReader;
import dev.quartet.data.kafka.InlineRecordReader.Fetched;
import dev.quartet.data.kafka.PayloadHeaders;
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
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/**
 * Serves stored payloads. Nothing unverified leaves: an inline payload is decrypted and checked
 * whole before it is returned (it is at most the inline threshold); a blob is checked in a first
 * pass and streamed in a second that checks again, so a blob altered in between breaks the
 * response off instead of completing it.
 */
@Singleton
public class PayloadRetriever {
  private static final Logger log = LoggerFactory.getLogger(PayloadRetriever.class);
  private final PayloadIndex index;
  private final DataAccessPolicy policy;
  private final InlineRecordReader records;
  private final BlobStore blobs;
  private final KekKeystore keks;

  PayloadRetriever(PayloadIndex index, DataAccessPolicy policy, InlineRecordReader records, BlobStore blobs, KekKeystore keks) {
    this.index = index;
    this.policy = policy;
    this.records = records;
    this.blobs = blobs;
    this.keks = keks;
  }

  /** A payload's description and its verified plaintext; the caller closes {@code content}. */
  public record PayloadContent(StoredPayload payload, InputStream content) {}

  /**
   * What the index knows about payload {@code id}.
   *
   * @throws ProblemException 404 when unknown or another tenant's, 403 without read clearance
   */
  public StoredPayload describe(Caller caller, PayloadId id) {
    // Another tenant's payload answers exactly like an unknown one: its existence is not revealed.
    StoredPayload p = index.find(id).filter(found -> caller.sees(found.tenant()))
        .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no payload " + id.ref()));
    if (!policy.allows(caller.roles(), DataAccess.READ, p.classification())) {
      throw new ProblemException(ProblemType.FORBIDDEN, "no role of " + caller.principal() + " may read "
          + p.classification() + " payloads");
    }
    return p;
  }

  /**
   * Payload {@code id}'s plaintext, verified.
   *
   * @throws ProblemException 404/403 as {@link #describe}; 500 when the stored bytes fail their
   *     integrity check; 503 when the bytes cannot be reached; 404 once past Kafka retention
   */
  public PayloadContent open(Caller caller, PayloadId id) {
    return open(describe(caller, id));
  }

  /**
   * The verified plaintext of {@code p}, whose access was authorized elsewhere (a signed URL).
   *
   * @throws ProblemException 500, 503 or 404 as {@link #open(Caller, PayloadId)}
   */
  public PayloadContent open(StoredPayload p) {
    PayloadId id = p.id();
    try {
      if (p.location() instanceof PayloadLocation.InlineRecord at) {
        return new PayloadContent(p, new ByteArrayInputStream(inline(p, at)));
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
      throw new ProblemException(ProblemType.UNAVAILABLE, "the stored bytes of payload " + id.ref() + " are missing");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read payload " + id + " from " + p.location().uri(), e);
    }
  }

  private byte[] inline(StoredPayload p, PayloadLocation.InlineRecord at) throws IOException {
    Fetched fetched = records.fetch(at, p.id());
    if (fetched instanceof Fetched.Expired expired) {
      throw new ProblemException(ProblemType.NOT_FOUND, "payload " + p.id().ref() + " has passed the retention of "
          + at.topic() + " (log now starts at offset " + expired.logStartOffset() + ")");
    }
    if (fetched instanceof Fetched.TimedOut t) {
      throw new ProblemException(ProblemType.UNAVAILABLE, "payload " + p.id().ref() + " could not be read from Kafka within "
          + t.after().toSeconds() + "s");
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
        EnvelopeDecryptor decryptor = PayloadEnvelope.decrypting(stored, keks);
        if (!decryptor.keyId().equals(p.keyId())) {
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

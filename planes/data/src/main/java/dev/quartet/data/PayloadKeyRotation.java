package dev.quartet.data;

import dev.quartet.contracts.ProblemType;
import dev.quartet.data.config.KeyRotationSettings;
import dev.quartet.data.config.PayloadSettings;
import dev.quartet.data.domain.Caller;
import dev.quartet.data.domain.Classification;
import dev.quartet.data.domain.DataRoles;
import dev.quartet.data.domain.PayloadLocation;
import dev.quartet.data.domain.StoredPayload;
import dev.quartet.data.domain.crypto.KeyEncryptionKey;
import dev.quartet.data.domain.crypto.PayloadEnvelope;
import dev.quartet.data.domain.crypto.WrappedDataKey;
import dev.quartet.data.kafka.InlineRecordReader;
import dev.quartet.data.kafka.PayloadEventLog;
import dev.quartet.data.kafka.PayloadEvidence;
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
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Rotates the key-encryption key of a classification: a new key wraps new data keys at once; the
 * data key of every existing payload is re-wrapped by it in bounded batches, reading only each
 * envelope's header (the content is never rewritten); then every old key no payload needs any
 * more is retired (deleted). A payload that cannot be re-wrapped now (bytes missing, Kafka
 * retention passed) keeps its old key, which is then kept too and named in the result.
 */
@Singleton
public class PayloadKeyRotation {
  private static final Logger log = LoggerFactory.getLogger(PayloadKeyRotation.class);
  // PostgreSQL orders UUIDs bytewise: all zeros sorts first.
  private static final UUID FIRST = new UUID(0, 0);
  private final KeyRotationSettings settings;
  private final KekKeystore keks;
  private final PayloadIndex index;
  private final BlobStore blobs;
  private final InlineRecordReader records;
  private final PayloadEvidence evidence;
  private final PayloadRecorder recorder;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock = Clock.systemUTC();

  PayloadKeyRotation(KeyRotationSettings settings, PayloadSettings payloads, KekKeystore keks, PayloadIndex index,
                     BlobStore blobs, InlineRecordReader records, PayloadEventLog events, PayloadEvidence evidence) {
    this.settings = settings;
    this.keks = keks;
    this.index = index;
    this.blobs = blobs;
    this.records = records;
    this.evidence = evidence;
    this.recorder = new PayloadRecorder(events, evidence, payloads.writeTimeout());
  }

  /**
   * What a rotation did: the new key, the keys before it, which of those were retired and which
   * kept (still needed), and how many data keys were re-wrapped or could not be.
   */
  public record Rotation(Classification classification, String keyId, List<String> previousKeyIds, List<String> retiredKeyIds,
                         List<String> keptKeyIds, long rewrapped, long failed, int batches) {
    public Rotation {
      previousKeyIds = List.copyOf(previousKeyIds);
      retiredKeyIds = List.copyOf(retiredKeyIds);
      keptKeyIds = List.copyOf(keptKeyIds);
    }
  }

  /**
   * Rotates {@code classification}'s key-encryption key.
   *
   * @throws ProblemException 403 unless the caller holds DATA_ADMIN for every tenant (the keys are
   *     shared by all tenants); 400 for a classification stored in clear
   */
  public synchronized Rotation rotate(Caller caller, Classification classification) {
    if (!caller.roles().contains(DataRoles.DATA_ADMIN) || !caller.unscoped()) {
      throw new ProblemException(ProblemType.FORBIDDEN, "rotating a key-encryption key needs the DATA_ADMIN role for every tenant");
    }
    if (!classification.encryptedAtRest()) {
      throw new ProblemException(ProblemType.VALIDATION, classification + " payloads are stored in clear and have no key to rotate");
    }
    List<String> previous = keks.keyIds(classification);
    KeyEncryptionKey next = keks.rotate(classification);
    long rewrapped = 0;
    long failed = 0;
    int batches = 0;
    UUID after = FIRST;
    while (batches < settings.maxBatches()) {
      // Only payloads of this keystore's keys: another deployment's keys are not ours to unwrap.
      List<StoredPayload> batch = previous.isEmpty() ? List.of() : index.wrappedBy(previous, after, settings.batchSize());
      if (batch.isEmpty()) {
        break;
      }
      batches++;
      for (StoredPayload p : batch) {
        if (rewrap(p, next)) {
          rewrapped++;
        } else {
          failed++;
        }
      }
      after = batch.get(batch.size() - 1).id().uuid();
    }
    List<String> retired = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    for (String old : previous) {
      // Retire only what nothing needs: no indexed payload and no upload in flight here.
      if (index.countWrappedBy(old) == 0 && !keks.inUse(old) && retired(old)) {
        retired.add(old);
      } else {
        kept.add(old);
      }
    }
    var rotation = new Rotation(classification, next.id(), previous, retired, kept, rewrapped, failed, batches);
    var ctx = new PayloadEvidence.Context(caller.principal(), Caller.SYSTEM_TENANT,
        caller.correlationId() == null ? "quartet:kek/" + next.id() : caller.correlationId());
    recorder.bestEffort(evidence.kekRotated(classification, next.id(), retired, kept, rewrapped, failed, ctx, clock.instant()),
        "evidence of the rotation to " + next.id());
    log.info("Key-encryption key rotated classification={} keyId={} rewrapped={} failed={} batches={} retired={} kept={}",
        classification, next.id(), rewrapped, failed, batches, retired, kept);
    return rotation;
  }

  private boolean retired(String keyId) {
    try {
      keks.retire(keyId);
      return true;
    } catch (IllegalStateException e) {
      // An upload took a lease on it since the check: kept, retired by a later rotation.
      log.info("Key-encryption key {} kept: {}", keyId, e.getMessage());
      return false;
    }
  }

  private boolean rewrap(StoredPayload p, KeyEncryptionKey next) {
    try {
      WrappedDataKey current = index.rewrappedKey(p.id()).orElse(null);
      WrappedDataKey wrapped;
      try (InputStream stored = storedBytes(p)) {
        wrapped = PayloadEnvelope.rewrap(stored, current, keks, next, random);
      }
      // Conditional on the key read: when another process re-wrapped it meanwhile, that wrap stands,
      // and either way the payload no longer needs the old key.
      index.rewrap(p.id(), p.keyId(), wrapped, clock.instant());
      return true;
    } catch (IOException | RuntimeException e) {
      log.warn("Data key of payload {} not re-wrapped (it keeps key {}): {}", p.id(), p.keyId(), e.toString());
      return false;
    }
  }

  private InputStream storedBytes(StoredPayload p) throws IOException {
    if (p.location() instanceof PayloadLocation.Blob b) {
      return blobs.open(b.key());
    }
    var at = (PayloadLocation.InlineRecord) p.location();
    if (records.fetch(at, p.id()) instanceof InlineRecordReader.Fetched.Found found) {
      return new ByteArrayInputStream(found.value());
    }
    throw new IOException("record " + at.uri() + " cannot be fetched (past retention or timed out)");
  }
}

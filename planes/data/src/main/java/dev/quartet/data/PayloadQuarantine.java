package dev.quartet.data;

import dev.quartet.contracts.ProblemType;
import dev.quartet.data.config.PayloadSettings;
import dev.quartet.data.domain.Caller;
import dev.quartet.data.domain.DataRoles;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.StoredPayload;
import dev.quartet.data.domain.Tenants;
import dev.quartet.data.kafka.PayloadEventLog;
import dev.quartet.data.kafka.PayloadEvidence;
import dev.quartet.data.store.PayloadIndex;
import dev.quartet.runtime.ProblemException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The quarantine, for data admins: list what is held, release one payload. Releasing is recorded
 * as {@code payload.quarantine-released} evidence before it takes effect. Admins see only their
 * tenant's payloads (all, when unscoped), and need no clearance for the content: listing shows
 * references, never bytes.
 */
@Singleton
public class PayloadQuarantine {
  private static final Logger log = LoggerFactory.getLogger(PayloadQuarantine.class);
  private final PayloadIndex index;
  private final PayloadEvidence evidence;
  private final PayloadRecorder recorder;
  private final Clock clock = Clock.systemUTC();

  PayloadQuarantine(PayloadIndex index, PayloadSettings settings, PayloadEventLog events, PayloadEvidence evidence) {
    this.index = index;
    this.evidence = evidence;
    this.recorder = new PayloadRecorder(events, evidence, settings.writeTimeout());
  }

  /**
   * Up to {@code limit} held payloads the caller's tenant owns, oldest first.
   *
   * @throws ProblemException 403 without DATA_ADMIN
   */
  public List<StoredPayload> list(Caller caller, int limit) {
    requireAdmin(caller);
    return index.quarantined(limit).stream().filter(p -> caller.sees(p.tenant())).toList();
  }

  /**
   * Releases payload {@code id}: readable again by its data roles.
   *
   * @throws ProblemException 403 without DATA_ADMIN; 404 when unknown or another tenant's; 409
   *     when it is not held; 503 when the evidence cannot be written (then it stays held)
   */
  public StoredPayload release(Caller caller, PayloadId id) {
    requireAdmin(caller);
    StoredPayload p = index.find(id).filter(found -> caller.sees(found.tenant()))
        .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no payload " + id.ref()));
    if (!p.quarantined()) {
      throw new ProblemException(ProblemType.CONFLICT, "payload " + id.ref() + " is not held in quarantine");
    }
    Instant now = clock.instant();
    var ctx = new PayloadEvidence.Context(caller.principal(), Tenants.evidenceTenant(p.tenant()),
        caller.correlationId() == null ? id.ref() : caller.correlationId());
    boolean released = index.release(id, caller.principal(), now, () -> recorder.await(
        evidence.quarantineReleased(p, p.quarantine().reason(), ctx, now), "evidence of the release of payload " + id));
    if (!released) {
      throw new ProblemException(ProblemType.CONFLICT, "payload " + id.ref() + " was released meanwhile");
    }
    log.info("Payload released from quarantine id={} principal={} correlationId={}", id, caller.principal(), ctx.correlationId());
    return index.find(id).orElseThrow();
  }

  private static void requireAdmin(Caller caller) {
    if (!caller.roles().contains(DataRoles.DATA_ADMIN)) {
      throw new ProblemException(ProblemType.FORBIDDEN, "the quarantine needs the DATA_ADMIN role");
    }
  }
}

package dev.quartet.evidence.api;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.ProblemType;
import dev.quartet.contracts.evidence.EvidenceGapEvents;
import dev.quartet.contracts.evidence.EvidenceSource;
import dev.quartet.contracts.evidence.Redaction;
import dev.quartet.evidence.config.RedactionSettings;
import dev.quartet.evidence.domain.IndexedEvidence;
import dev.quartet.evidence.store.EvidenceIndexStore;
import dev.quartet.evidence.store.RedactionStore;
import dev.quartet.runtime.BuildInfo;
import dev.quartet.runtime.EvidenceEmitter;
import dev.quartet.runtime.InvalidRequestException;
import dev.quartet.runtime.ProblemException;
import dev.quartet.runtime.Roles;
import dev.quartet.schemas.EvidenceEvent;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Openings of redacted attributes: an emitter deposits the salt and value of each attribute it
 * replaced by a commitment, auditors read them back, and destroy them when the value must go.
 * The log is never touched, so every inclusion proof verifies before and after.
 */
@Controller("/v1/evidence/redactions")
public class RedactionController {
  private static final Logger log = LoggerFactory.getLogger(RedactionController.class);
  private final RedactionStore openings;
  private final EvidenceIndexStore index;
  private final RedactionSettings settings;
  private final Clock clock = Clock.systemUTC();

  private final EvidenceEmitter emitter;

  RedactionController(RedactionStore openings, EvidenceIndexStore index, RedactionSettings settings, EvidenceEmitter emitter) {
    this.emitter = emitter;
    this.openings = openings;
    this.index = index;
    this.settings = settings;
  }

  /** Keeps the openings of event {@code eventId}'s redacted attributes (emitters deposit them with the depositor role). */
  @Post("/{eventId}")
  @Secured({Roles.ADMIN, Roles.EVIDENCE_DEPOSITOR})
  @ExecuteOn(TaskExecutors.BLOCKING)
  public List<RedactionView> deposit(Authentication who, @PathVariable String eventId, @Body RedactionDeposit deposit) {
    if (deposit.openings() == null || deposit.openings().isEmpty()
        || deposit.openings().size() > settings.maxOpeningsPerEvent()) {
      throw new InvalidRequestException("openings: between 1 and " + settings.maxOpeningsPerEvent() + " per event");
    }
    List<Redaction.Opening> kept = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (RedactionDeposit.Opening o : deposit.openings()) {
      if (o.attribute() == null || o.value() == null || o.salt() == null || !seen.add(o.attribute())) {
        throw new InvalidRequestException("each opening needs a distinct attribute, a salt and a value");
      }
      byte[] salt;
      try {
        salt = Base64.getDecoder().decode(o.salt());
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("salt of " + o.attribute() + " is not base64");
      }
      if (salt.length != Redaction.SALT_BYTES) {
        throw new InvalidRequestException("salt of " + o.attribute() + " must be " + Redaction.SALT_BYTES + " bytes");
      }
      kept.add(new Redaction.Opening(o.attribute(), Redaction.commitment(salt, o.value()), salt, o.value()));
    }
    openings.keep(eventId, kept);
    log.info("Kept {} redaction openings of evidence {} (from {})", kept.size(), eventId, who.getName());
    return views(eventId);
  }

  /** The redacted attributes of event {@code eventId}: commitments, and salts and values not yet destroyed. */
  @Get("/{eventId}")
  @Secured({Roles.ADMIN, Roles.AUDITOR})
  @ExecuteOn(TaskExecutors.BLOCKING)
  public List<RedactionView> openings(Authentication who, @PathVariable String eventId) {
    requireVisible(who, eventId);
    return views(eventId);
  }

  /** Destroys the salt and value of one redacted attribute for good; the commitment (and so the leaf) stays. */
  @Post("/{eventId}/{attribute}/destroy")
  @Secured({Roles.ADMIN, Roles.AUDITOR})
  @ExecuteOn(TaskExecutors.BLOCKING)
  public RedactionView destroy(Authentication who, @PathVariable String eventId, @PathVariable String attribute) {
    requireVisible(who, eventId);
    RedactionStore.StoredOpening now = openings.destroy(eventId, attribute, clock.instant())
        .orElseThrow(() -> notFound(eventId));
    log.info("Destroyed the opening of attribute {} of evidence {} (by {})", attribute, eventId, who.getName());
    recordDestruction(eventId, now, who.getName());
    return RedactionView.of(eventId, now);
  }

  /**
   * The destruction is itself evidence: an {@code evidence.redaction.destroyed} event naming the
   * event, attribute and commitment (never the value). A retried destroy records it again, so a
   * failure here is answered 503 and the caller retries.
   */
  private void recordDestruction(String eventId, RedactionStore.StoredOpening opening, String by) {
    Map<String, String> attributes = Map.of("eventId", eventId, "attribute", opening.attribute(),
        "commitment", opening.commitment(), "destroyedBy", by);
    EvidenceEvent event = EvidenceGapEvents.system("evidence.redaction.destroyed", "destroyed", eventId, clock.instant(),
        attributes, new EvidenceSource(Plane.EVIDENCE, emitter.producerId(), BuildInfo.version()));
    try {
      emitter.emitRequired(event).get(settings.emitTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("Opening of {} of evidence {} destroyed, but its evidence event was not written: {}", opening.attribute(),
          eventId, e.toString());
      throw new ProblemException(ProblemType.UNAVAILABLE, "the destruction is done but could not be recorded; retry");
    }
  }

  /** A principal scoped to one tenant sees openings of its tenant's indexed events only. */
  private void requireVisible(Authentication who, String eventId) {
    String tenant = index.byId(eventId).map(IndexedEvidence::tenant).orElse(null);
    if (!TenantScope.allows(who, tenant)) {
      throw notFound(eventId);
    }
  }

  private List<RedactionView> views(String eventId) {
    return openings.of(eventId).stream().map(o -> RedactionView.of(eventId, o)).toList();
  }

  private static ProblemException notFound(String eventId) {
    return new ProblemException(ProblemType.NOT_FOUND, "no redacted attribute of evidence " + eventId);
  }
}

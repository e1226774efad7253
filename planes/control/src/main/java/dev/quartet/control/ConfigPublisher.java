package dev.quartet.control;

import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.KeyId;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.contracts.trust.Verification;
import dev.quartet.control.config.ControlSettings;
import dev.quartet.control.domain.ConfigHead;
import dev.quartet.contracts.ConfigScope;
import dev.quartet.control.domain.ConfigSnapshot;
import dev.quartet.control.domain.PublishDecision;
import dev.quartet.control.domain.PublishRules;
import dev.quartet.control.domain.RejectionReason;
import dev.quartet.control.kafka.LeaseTokenIssuer;
import dev.quartet.control.kafka.SnapshotLog;
import dev.quartet.control.store.ConfigVersionStore;
import dev.quartet.contracts.ProblemType;
import dev.quartet.runtime.BuildInfo;
import dev.quartet.runtime.ProblemException;
import dev.quartet.runtime.EvidenceEmitter;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.Plane;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The imperative shell around {@link PublishRules}: reads the pinned trust root and the scope's
 * head, decides, and either stores + logs the new version or records the rejection as evidence.
 */
@Singleton
public class ConfigPublisher {
  private static final Logger log = LoggerFactory.getLogger(ConfigPublisher.class);
  private final ConfigVersionStore store;
  private final SnapshotLog snapshotLog;
  private final EvidenceEmitter evidence;
  private final ControlSettings settings;
  private final TrustRoot trustRoot;
  private final LeaseTokenIssuer leases;
  private final Clock clock = Clock.systemUTC();

  ConfigPublisher(ConfigVersionStore store, SnapshotLog snapshotLog, EvidenceEmitter evidence, ControlSettings settings,
                  LeaseTokenIssuer leases) {
    this.leases = leases;
    this.store = store;
    this.snapshotLog = snapshotLog;
    this.evidence = evidence;
    this.settings = settings;
    this.trustRoot = loadTrustRoot(Path.of(settings.trustFile()));
  }

  /** What a publish came to: accepted as {@code snapshot}, or rejected for {@code reason}. */
  public record Outcome(ConfigSnapshot snapshot, RejectionReason reason, String detail) {
    public boolean accepted() {
      return reason == null;
    }
  }

  /** Checks and, when every rule holds, publishes the envelope in {@code body}. */
  public Outcome publish(byte[] body, String principal) {
    Instant now = clock.instant();
    if (body.length > settings.maxEnvelopeBytes()) {
      return reject(RejectionReason.TOO_LARGE, "envelope of " + body.length + " bytes is over the limit of "
          + settings.maxEnvelopeBytes() + " bytes", null, principal, now);
    }
    DsseEnvelope envelope;
    try {
      envelope = DsseEnvelope.fromJson(body);
    } catch (IllegalArgumentException e) {
      return reject(RejectionReason.MALFORMED, "not a DSSE envelope: " + e.getMessage(), null, principal, now);
    }
    Optional<ConfigHead> head = claimedScope(envelope).flatMap(store::head);
    PublishDecision decision = PublishRules.decide(trustRoot, head, envelope, now);
    if (decision instanceof PublishDecision.Rejected r) {
      return reject(r.reason(), r.detail(), r.snapshot(), principal, now);
    }
    var accepted = (PublishDecision.Accepted) decision;
    ConfigSnapshot s = accepted.snapshot();
    String signers = accepted.signers().stream().map(KeyId::hex).sorted().collect(Collectors.joining(","));  // a stable order: rebuilds compare equal
    try {
      store.insert(s, envelope, signers, () -> snapshotLog.append(s, envelope, now,
          event("config.published", "accepted", s, principal, now, Map.of("signers", signers))));
    } catch (ConfigVersionStore.VersionTaken e) {
      return reject(RejectionReason.CONFLICT, e.getMessage(), s, principal, now);
    } catch (SnapshotLog.SnapshotLogUnavailable e) {
      // Snapshot and evidence commit in one transaction, so nothing is ever published unrecorded;
      // a privileged change says so explicitly (spec: blocked while evidence cannot be written).
      Set<String> privileged = PublishRules.privilegedSections(head, s);
      log.warn("Config not published scope={} configVersion={} privileged={}: {}", s.scope(), s.version(), privileged,
          e.getCause().toString());
      throw new ProblemException(ProblemType.UNAVAILABLE, privileged.isEmpty()
          ? "the config or evidence topic is not accepting writes now; nothing was published, retry"
          : "privileged configuration change (" + String.join(", ", privileged) + ") blocked: evidence cannot be written now;"
              + " nothing was published, retry");
    }
    log.info("Config published scope={} configVersion={} digest={} signers={}", s.scope(), s.version(), s.digest(), signers);
    leases.issue(new ConfigHead(s));
    return new Outcome(s, null, null);
  }

  /** The trust root publishes are verified against. */
  public TrustRoot trustRoot() {
    return trustRoot;
  }

  private Outcome reject(RejectionReason reason, String detail, ConfigSnapshot s, String principal, Instant now) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put("reason", reason.name());
    attributes.put("detail", detail.length() > 500 ? detail.substring(0, 500) : detail);
    try {
      // Best effort: while evidence cannot be written the rejection is buffered and stated behind a gap.
      evidence.emitBestEffort(event("config.rejected", "rejected", s, principal, now, attributes))
          .get(settings.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // The caller still gets the rejection; an event the buffer could not take is counted in the gap.
      log.warn("Could not record config rejection reason={} as evidence: {}", reason, e.toString());
    }
    log.info("Config rejected reason={} scope={} configVersion={}", reason,
        s == null ? "?" : s.scope(), s == null ? "?" : s.version());
    return new Outcome(s, reason, detail);
  }

  private EvidenceEvent event(String type, String outcome, ConfigSnapshot s, String principal, Instant now,
                              Map<String, String> extra) {
    Map<String, String> attributes = new HashMap<>(extra);
    attributes.put("principal", principal);
    if (s != null) {
      attributes.put("scope", s.scope().toString());
    }
    return EvidenceEvent.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setType(type)
        .setTenant(s == null ? "system" : s.scope().tenant())
        .setCorrelationId(s == null ? UUID.randomUUID().toString() : s.scope() + "@" + s.version())
        .setConfigVersion(s == null ? null : s.version())
        .setConfigDigest(s == null ? null : s.digest())
        .setApprovals(List.of())
        .setArtifactDigests(s == null ? Map.of() : Map.of("config-snapshot", s.digest()))
        .setOutcome(outcome)
        .setOccurredAt(now)
        .setProducerPlane(Plane.CONTROL)
        .setProducerVersion(BuildInfo.version())
        .setAttributes(attributes)
        .build();
  }

  /** The scope an envelope claims, unverified: used only to look up the head it must follow. */
  private static Optional<ConfigScope> claimedScope(DsseEnvelope envelope) {
    try {
      return Optional.of(ConfigSnapshot.fromSignedPayload(envelope.payload()).scope());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private TrustRoot loadTrustRoot(Path file) {
    try {
      DsseEnvelope envelope = DsseEnvelope.fromJson(Files.readAllBytes(file));
      Verification v = TrustRoot.verifySelfSigned(envelope, clock.instant());
      if (v instanceof Verification.Failed f) {
        throw new IllegalStateException("trust root " + file + " does not verify at " + f.step() + ": " + f.reason());
      }
      TrustRoot root = TrustRoot.decode(envelope);
      log.info("Pinned trust root v{} with {} admin keys from {}", root.version(), root.adminKeys().size(), file);
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trust root " + file + " (quartet.control.trust-file)", e);
    }
  }
}

package dev.quartet.control;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.control.config.ControlSettings;
import dev.quartet.control.config.RolloutSettings;
import dev.quartet.control.domain.ConfigHead;
import dev.quartet.control.domain.ConfigSnapshot;
import dev.quartet.control.domain.Rollout;
import dev.quartet.control.domain.RolloutRules;
import dev.quartet.control.domain.RolloutState;
import dev.quartet.control.domain.RolloutTally;
import dev.quartet.control.domain.RolloutVerdict;
import dev.quartet.control.store.ConfigVersionStore;
import dev.quartet.control.store.RolloutStore;
import dev.quartet.runtime.BuildInfo;
import dev.quartet.runtime.EvidenceEmitter;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.Plane;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Watches staged rollouts: on a bounded schedule, tallies the workers' ACK/NACKs of each scope's
 * undecided head and applies {@link RolloutRules}. A verdict is recorded as evidence
 * ({@code rollout.completed} or {@code rollout.halted}, with why) and as a row, in one database
 * transaction that commits only once the evidence is written; until then the rollout stays
 * undecided and is looked at again on the next check.
 */
@Context
public class RolloutWatcher implements AutoCloseable {
  /** Evidence type of a rollout whose bake passed within its NACK threshold. */
  public static final String COMPLETED = "rollout.completed";
  /** Evidence type of a rollout halted by NACKs. */
  public static final String HALTED = "rollout.halted";
  private static final Logger log = LoggerFactory.getLogger(RolloutWatcher.class);

  private final ConfigVersionStore versions;
  private final RolloutStore rollouts;
  private final EvidenceEmitter evidence;
  private final RolloutSettings settings;
  private final ControlSettings control;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rollout-watcher");
    t.setDaemon(true);
    return t;
  });

  RolloutWatcher(ConfigVersionStore versions, RolloutStore rollouts, EvidenceEmitter evidence, RolloutSettings settings,
                 ControlSettings control) {
    this.versions = versions;
    this.rollouts = rollouts;
    this.evidence = evidence;
    this.settings = settings;
    this.control = control;
    long every = settings.checkInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::checkAll, every, every, TimeUnit.MILLISECONDS);
  }

  /** The verdict on {@code scope}'s head now: recorded if decided, else computed from the current tally. */
  public Optional<RolloutStatus> status(ConfigScope scope) {
    return versions.find(scope, null).map(head -> {
      ConfigSnapshot s = head.snapshot();
      Rollout rollout = Rollout.of(s);
      return rollouts.find(scope, s.version())
          .map(d -> new RolloutStatus(s.version(), rollout, d.verdict(), d.tally(), d.at()))
          .orElseGet(() -> {
            RolloutTally tally = rollouts.tally(scope, s.version(), s.digest());
            RolloutVerdict live = RolloutRules.decide(rollout, head.publishedAt(), tally, settings.maxNackPercent(), clock.instant());
            // A verdict not yet recorded is shown as still in progress: only recorded ones are facts.
            return new RolloutStatus(s.version(), rollout, live.decided() ? new RolloutVerdict(RolloutState.IN_PROGRESS,
                "deciding: " + live.reason()) : live, tally, null);
          });
    });
  }

  /** A head's rollout as shown by {@code quartet config status}; {@code decidedAt} is null while in progress. */
  public record RolloutStatus(long version, Rollout rollout, RolloutVerdict verdict, RolloutTally tally, Instant decidedAt) {}

  private void checkAll() {
    List<ConfigScope> undecided;
    try {
      undecided = rollouts.undecidedHeads(settings.scanLimit());
    } catch (RuntimeException e) {
      // The schedule must survive a database outage: the next check retries.
      log.warn("Rollout check failed; retrying in {}: {}", settings.checkInterval(), e.toString());
      return;
    }
    for (ConfigScope scope : undecided) {
      try {
        check(scope);
      } catch (RuntimeException e) {
        // One scope whose verdict cannot be recorded now (evidence unwritable) must not hold up the others.
        log.warn("Rollout check of scope={} failed; retrying in {}: {}", scope, settings.checkInterval(), e.toString());
      }
    }
  }

  private void check(ConfigScope scope) {
    Optional<ConfigVersionStore.StoredVersion> found = versions.find(scope, null);
    if (found.isEmpty()) {
      return;
    }
    ConfigSnapshot head = found.get().snapshot();
    Rollout rollout = Rollout.of(head);
    RolloutTally tally = rollouts.tally(scope, head.version(), head.digest());
    Instant now = clock.instant();
    RolloutVerdict verdict = RolloutRules.decide(rollout, found.get().publishedAt(), tally, settings.maxNackPercent(), now);
    if (!verdict.decided()) {
      return;
    }
    boolean recorded = rollouts.record(scope, head.version(), head.digest(), verdict, tally, now,
        () -> write(event(new ConfigHead(head), rollout, verdict, tally, now)));
    if (recorded) {
      if (verdict.state() == RolloutState.HALTED) {
        log.warn("Rollout halted scope={} configVersion={} digest={}: {}", scope, head.version(), head.digest(), verdict.reason());
      } else {
        log.info("Rollout completed scope={} configVersion={} digest={}: {}", scope, head.version(), head.digest(), verdict.reason());
      }
    }
  }

  private void write(EvidenceEvent event) {
    try {
      evidence.emit(event).get(control.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording " + event.getType(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not record " + event.getType() + " " + event.getCorrelationId() + " as evidence", e);
    }
  }

  private static EvidenceEvent event(ConfigHead head, Rollout rollout, RolloutVerdict verdict, RolloutTally tally, Instant now) {
    ConfigSnapshot s = head.snapshot();
    Map<String, String> attributes = new TreeMap<>();
    attributes.put("scope", s.scope().toString());
    attributes.put("reason", verdict.reason());
    attributes.put("cohort", rollout.cohortPercent() + "%");
    attributes.put("labels", rollout.labels().toString());
    attributes.put("bake", rollout.bake().toString());
    attributes.put("applied", Long.toString(tally.applied()));
    attributes.put("refused", Long.toString(tally.refused()));
    attributes.put("notInCohort", Long.toString(tally.notInCohort()));
    boolean halted = verdict.state() == RolloutState.HALTED;
    return EvidenceEvent.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setType(halted ? HALTED : COMPLETED)
        .setTenant(s.scope().tenant())
        .setCorrelationId(s.scope() + "@" + s.version())
        .setConfigVersion(s.version())
        .setConfigDigest(s.digest())
        .setApprovals(List.of())
        .setArtifactDigests(Map.of("config-snapshot", s.digest()))
        .setOutcome(halted ? "halted" : "completed")
        .setOccurredAt(now)
        .setProducerPlane(Plane.CONTROL)
        .setProducerVersion(BuildInfo.version())
        .setAttributes(attributes)
        .build();
  }

  @Override
  @PreDestroy
  public void close() {
    scheduler.shutdownNow();
  }
}

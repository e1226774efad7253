package dev.quartet.execution.domain;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.trust.LeaseToken;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a worker knows about its configuration, immutable: changed only by
 * {@link WorkerConfigEvent#applyTo}. What it may do at an instant is a pure function of this state
 * and that instant ({@link #status}, {@link #admitting}), so a late tick can never stretch a lease.
 *
 * @param applied the version in force, or null before the first one
 * @param firstAppliedAt when the first version was applied: the start of an unleased worker's degraded time
 * @param pending verified versions above {@code applied}, ascending, each the parent of the next
 * @param seen digests of verified versions (bounded, oldest first), to recognise exact replays
 * @param expiryReported highest version already refused as expired, so it is refused once
 * @param leaseExpiresAt end of the config lease, or null when never leased
 * @param aheadToken newest verified token naming a version above {@code applied}, kept until that version applies
 * @param recorded the last status recorded as evidence (degraded, expired) or recovered from
 * @param graceExhausted whether the end of continue-cached's grace was recorded for this degradation
 * @param exclusionReported highest version reported as not targeting this worker ({@link CohortExclusion}), so it is reported once
 */
public record WorkerConfigState(ConfigScope scope, ConfigBounds bounds, ConfigSnapshot applied, Instant firstAppliedAt,
                                List<ConfigSnapshot> pending, Map<Long, String> seen, long expiryReported,
                                Instant leaseExpiresAt, LeaseToken aheadToken, WorkerStatus recorded,
                                boolean graceExhausted, long exclusionReported) {
  public WorkerConfigState {
    Objects.requireNonNull(scope, "WorkerConfigState: scope");
    Objects.requireNonNull(bounds, "WorkerConfigState: bounds");
    Objects.requireNonNull(recorded, "WorkerConfigState: recorded");
    pending = List.copyOf(pending);
    seen = Collections.unmodifiableMap(new LinkedHashMap<>(seen));
  }

  /** A worker for {@code scope} that has seen nothing yet. */
  public static WorkerConfigState initial(ConfigScope scope, ConfigBounds bounds) {
    return new WorkerConfigState(scope, bounds, null, null, List.of(), Map.of(), 0, null, null, WorkerStatus.NO_CONFIG, false, 0);
  }

  /** The newest verified version: the one the next version must follow. */
  public Optional<ConfigSnapshot> tip() {
    return pending.isEmpty() ? Optional.ofNullable(applied) : Optional.of(pending.get(pending.size() - 1));
  }

  /** The applied version, if any. */
  public Optional<ConfigSnapshot> appliedSnapshot() {
    return Optional.ofNullable(applied);
  }

  /** Where the worker stands at {@code now}; lease and snapshot expiry are exclusive. */
  public WorkerStatus status(Instant now) {
    if (applied == null) {
      return WorkerStatus.NO_CONFIG;
    }
    if (applied.isExpiredAt(now)) {
      return WorkerStatus.CONFIG_EXPIRED;
    }
    return leaseExpiresAt != null && now.isBefore(leaseExpiresAt) ? WorkerStatus.LEASED : WorkerStatus.DEGRADED;
  }

  /** Since when the worker has been without a lease: when its last lease ended, else when it first applied a version. */
  public Instant degradedSince() {
    return leaseExpiresAt != null ? leaseExpiresAt : firstAppliedAt;
  }

  /** True while a continue-cached degradation is still within its grace at {@code now}. */
  public boolean withinGrace(Instant now) {
    return applied != null && applied.degradedMode().policy() == DegradedPolicy.CONTINUE_CACHED
        && now.isBefore(degradedSince().plus(applied.degradedMode().grace()));
  }

  /** Whether the worker may admit new work at {@code now}: a verified, unexpired config and a lease or grace. */
  public boolean admitting(Instant now) {
    return switch (status(now)) {
      case LEASED -> true;
      case DEGRADED -> withinGrace(now);
      default -> false;
    };
  }

  WorkerConfigState withLinked(ConfigSnapshot s) {
    List<ConfigSnapshot> next = new ArrayList<>(pending);
    next.add(s);
    while (next.size() > bounds.maxPendingVersions()) {
      next.remove(0);
    }
    return new WorkerConfigState(scope, bounds, applied, firstAppliedAt, next, remember(s), expiryReported,
        leaseExpiresAt, aheadToken, recorded, graceExhausted, exclusionReported);
  }

  WorkerConfigState withApplied(ConfigSnapshot s, Instant at) {
    List<ConfigSnapshot> above = pending.stream().filter(p -> p.version() > s.version()).toList();
    Instant lease = leaseExpiresAt;
    LeaseToken ahead = aheadToken;
    if (ahead != null && ahead.headVersion() <= s.version()) {
      // A token that arrived before its version now names the applied head: the lease starts with it.
      if (ahead.headVersion() == s.version() && ahead.headDigest().equals(s.digest())
          && (lease == null || ahead.expiresAt().isAfter(lease))) {
        lease = ahead.expiresAt();
      }
      ahead = null;
    }
    return new WorkerConfigState(scope, bounds, s, firstAppliedAt == null ? at : firstAppliedAt, above, remember(s),
        expiryReported, lease, ahead, recorded, graceExhausted, exclusionReported);
  }

  WorkerConfigState withLeaseUntil(Instant until) {
    Instant lease = leaseExpiresAt == null || until.isAfter(leaseExpiresAt) ? until : leaseExpiresAt;
    return new WorkerConfigState(scope, bounds, applied, firstAppliedAt, pending, seen, expiryReported, lease,
        aheadToken, recorded, graceExhausted, exclusionReported);
  }

  WorkerConfigState withAheadToken(LeaseToken token) {
    boolean newer = aheadToken == null || token.headVersion() > aheadToken.headVersion()
        || (token.headVersion() == aheadToken.headVersion() && token.expiresAt().isAfter(aheadToken.expiresAt()));
    return newer ? new WorkerConfigState(scope, bounds, applied, firstAppliedAt, pending, seen, expiryReported,
        leaseExpiresAt, token, recorded, graceExhausted, exclusionReported) : this;
  }

  WorkerConfigState withExpiryReported(long version) {
    return new WorkerConfigState(scope, bounds, applied, firstAppliedAt, pending, seen, Math.max(expiryReported, version),
        leaseExpiresAt, aheadToken, recorded, graceExhausted, exclusionReported);
  }

  WorkerConfigState withRecorded(WorkerStatus status) {
    return new WorkerConfigState(scope, bounds, applied, firstAppliedAt, pending, seen, expiryReported, leaseExpiresAt,
        aheadToken, status, status == WorkerStatus.DEGRADED && recorded == WorkerStatus.DEGRADED && graceExhausted, exclusionReported);
  }

  WorkerConfigState withGraceExhausted() {
    return new WorkerConfigState(scope, bounds, applied, firstAppliedAt, pending, seen, expiryReported, leaseExpiresAt,
        aheadToken, recorded, true, exclusionReported);
  }

  WorkerConfigState withExclusionReported(long version) {
    return new WorkerConfigState(scope, bounds, applied, firstAppliedAt, pending, seen, expiryReported, leaseExpiresAt,
        aheadToken, recorded, graceExhausted, Math.max(exclusionReported, version));
  }

  /** The verified pending version {@code version} with {@code digest}, if the worker holds it. */
  public Optional<ConfigSnapshot> pendingVersion(long version, String digest) {
    return pending.stream().filter(p -> p.version() == version && p.digest().equals(digest)).findFirst();
  }

  private Map<Long, String> remember(ConfigSnapshot s) {
    Map<Long, String> next = new LinkedHashMap<>(seen);
    next.put(s.version(), s.digest());
    while (next.size() > bounds.maxRememberedVersions()) {
      next.remove(next.keySet().iterator().next());
    }
    return next;
  }

  @Override
  public String toString() {
    return "WorkerConfigState[" + scope + " applied=" + (applied == null ? "none" : "v" + applied.version())
        + " pending=" + pending.size() + " lease=" + leaseExpiresAt + " recorded=" + recorded + "]";
  }
}

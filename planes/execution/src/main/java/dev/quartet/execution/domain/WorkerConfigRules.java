package dev.quartet.execution.domain;

import dev.quartet.contracts.trust.LeaseToken;
import dev.quartet.contracts.trust.Verification;
import dev.quartet.execution.domain.WorkerConfigEvent.AppliedConfigExpired;
import dev.quartet.execution.domain.WorkerConfigEvent.DegradedModeEntered;
import dev.quartet.execution.domain.WorkerConfigEvent.GraceExhausted;
import dev.quartet.execution.domain.WorkerConfigEvent.LeaseExtended;
import dev.quartet.execution.domain.WorkerConfigEvent.LeaseRecovered;
import dev.quartet.execution.domain.WorkerConfigEvent.LeaseTokenHeld;
import dev.quartet.execution.domain.WorkerConfigEvent.LeaseTokenRefused;
import dev.quartet.execution.domain.WorkerConfigEvent.SnapshotApplied;
import dev.quartet.execution.domain.WorkerConfigEvent.SnapshotRefused;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A worker's config decisions, pure: state, input and {@code now} in; events out, in the order
 * they must be applied. Snapshots only extend the verified chain; {@link #onTick} applies the
 * newest applicable version and records lease transitions, so a catch-up over many versions ends
 * in one ACK for the newest, not one per historical version.
 */
public final class WorkerConfigRules {
  private WorkerConfigRules() {}

  /** A snapshot record arrived: a link, a replay or a refusal (see {@link SnapshotVerifier}). */
  public static List<WorkerConfigEvent> onSnapshot(WorkerConfigState s, WorkerTrust trust, byte[] envelopeJson,
                                                   long claimedVersion, Instant now) {
    return List.of(SnapshotVerifier.check(s, trust, envelopeJson, claimedVersion, now));
  }

  /**
   * A lease token arrived. One that verifies against the root's lease keys and names the applied
   * head — or a newer version the worker verified but does not apply because its rollout does not
   * target it — extends the lease (and ends a degradation at once); one naming a version not yet
   * verified is held until that version applies; anything else extends nothing.
   */
  public static List<WorkerConfigEvent> onLeaseToken(WorkerConfigState s, WorkerTrust trust, LeaseToken token, Instant now) {
    long head = token.headVersion();
    if (!token.scope().equals(s.scope().toString())) {
      return refused(head, LeaseRefusal.WRONG_SCOPE, "token for scope " + token.scope() + ", this worker follows " + s.scope());
    }
    if (trust.root().isExpiredAt(now)) {
      return refused(head, LeaseRefusal.TRUST_EXPIRED, "the pinned trust root expired at " + trust.root().expires());
    }
    if (token.verify(trust.root(), now, trust.maxClockSkew()) instanceof Verification.Failed f) {
      LeaseRefusal why = switch (f.step()) {
        case "expiry" -> LeaseRefusal.EXPIRED;
        case "issuedAt" -> LeaseRefusal.NOT_YET_VALID;
        default -> LeaseRefusal.UNTRUSTED;
      };
      return refused(head, why, f.reason());
    }
    ConfigSnapshot applied = s.applied();
    if (applied != null && head > applied.version() && s.pendingVersion(head, token.headDigest()).isPresent()) {
      // The worker verified the head itself and stays below it only because the head's rollout
      // does not target it (or not yet): it is in sync with the control plane, so it stays leased.
      List<WorkerConfigEvent> events = new ArrayList<>();
      WorkerConfigState next = emit(events, s, new LeaseExtended(head, token.expiresAt()));
      transitions(events, next, now);
      return events;
    }
    if (applied == null || head > applied.version()) {
      return List.of(new LeaseTokenHeld(token));
    }
    if (head < applied.version()) {
      return refused(head, LeaseRefusal.STALE, "names version " + head + ", applied is " + applied.version());
    }
    if (!token.headDigest().equals(applied.digest())) {
      return refused(head, LeaseRefusal.CONFLICTING_HEAD, "names digest " + token.headDigest()
          + " for version " + head + ", whose verified digest is " + applied.digest());
    }
    List<WorkerConfigEvent> events = new ArrayList<>();
    WorkerConfigState next = emit(events, s, new LeaseExtended(head, token.expiresAt()));
    transitions(events, next, now);
    return events;
  }

  /**
   * Periodic (and after each batch of input), for a worker every rollout targets: see
   * {@link #onTick(WorkerConfigState, WorkerIdentity, Instant)}.
   */
  public static List<WorkerConfigEvent> onTick(WorkerConfigState s, Instant now) {
    return tick(s, p -> true, now);
  }

  /**
   * Periodic (and after each batch of input): applies the newest verified version that has not
   * expired and whose staged rollout targets {@code worker} ({@link RolloutTarget}), refuses the
   * newest if it expired unapplied (freeze), then records the lease transitions due at
   * {@code now}. A newer version outside the worker's cohort stays pending (see {@link #exclusion}).
   */
  public static List<WorkerConfigEvent> onTick(WorkerConfigState s, WorkerIdentity worker, Instant now) {
    return tick(s, p -> RolloutTarget.of(p).excludes(worker).isEmpty(), now);
  }

  /**
   * The newest verified, unexpired version above the applied one whose rollout does not target
   * {@code worker}, unless already reported: the worker tells the control plane once that it
   * stays where it is.
   */
  public static Optional<CohortExclusion> exclusion(WorkerConfigState s, WorkerIdentity worker, Instant now) {
    long applied = s.applied() == null ? 0 : s.applied().version();
    List<ConfigSnapshot> pending = s.pending();
    for (int i = pending.size() - 1; i >= 0; i--) {
      ConfigSnapshot p = pending.get(i);
      if (p.version() <= Math.max(applied, s.exclusionReported()) || p.isExpiredAt(now)) {
        return Optional.empty();
      }
      Optional<String> why = RolloutTarget.of(p).excludes(worker);
      if (why.isPresent()) {
        return Optional.of(new CohortExclusion(p.version(), p.digest(), why.get()));
      }
    }
    return Optional.empty();
  }

  private static List<WorkerConfigEvent> tick(WorkerConfigState s, Predicate<ConfigSnapshot> targeted, Instant now) {
    List<WorkerConfigEvent> events = new ArrayList<>();
    WorkerConfigState next = s;
    List<ConfigSnapshot> pending = s.pending();
    if (!pending.isEmpty()) {
      ConfigSnapshot newest = pending.get(pending.size() - 1);
      if (newest.isExpiredAt(now) && newest.version() > s.expiryReported()) {
        next = emit(events, next, new SnapshotRefused(newest.version(), newest.digest(), RefusalReason.EXPIRED,
            "expired at " + newest.expiresAt() + " before it could be applied"));
      }
      for (int i = pending.size() - 1; i >= 0; i--) {
        ConfigSnapshot candidate = pending.get(i);
        if (!candidate.isExpiredAt(now) && targeted.test(candidate)) {
          next = emit(events, next, new SnapshotApplied(candidate, now));
          break;
        }
      }
    }
    transitions(events, next, now);
    return events;
  }

  /** Evidence-worthy status changes at {@code now}, each recorded once per occurrence. */
  private static void transitions(List<WorkerConfigEvent> events, WorkerConfigState s, Instant now) {
    ConfigSnapshot applied = s.applied();
    if (applied == null) {
      return;
    }
    WorkerStatus status = s.status(now);
    WorkerStatus recorded = s.recorded();
    WorkerConfigState next = s;
    if (status == WorkerStatus.CONFIG_EXPIRED && recorded != WorkerStatus.CONFIG_EXPIRED) {
      emit(events, next, new AppliedConfigExpired(applied.version(), applied.digest(), applied.expiresAt()));
    } else if (status == WorkerStatus.LEASED && (recorded == WorkerStatus.DEGRADED || recorded == WorkerStatus.CONFIG_EXPIRED)) {
      emit(events, next, new LeaseRecovered(applied.version(), applied.digest(), recorded));
    } else if (status == WorkerStatus.DEGRADED) {
      DegradedMode mode = applied.degradedMode();
      if (recorded != WorkerStatus.DEGRADED) {
        next = emit(events, next, new DegradedModeEntered(applied.version(), applied.digest(), mode.policy(), mode.grace(),
            s.degradedSince()));
      }
      if (mode.policy() == DegradedPolicy.CONTINUE_CACHED && !next.graceExhausted() && !next.withinGrace(now)) {
        emit(events, next, new GraceExhausted(applied.version(), applied.digest(), s.degradedSince().plus(mode.grace())));
      }
    }
  }

  private static WorkerConfigState emit(List<WorkerConfigEvent> events, WorkerConfigState s, WorkerConfigEvent e) {
    events.add(e);
    return e.applyTo(s);
  }

  private static List<WorkerConfigEvent> refused(long head, LeaseRefusal reason, String detail) {
    return List.of(new LeaseTokenRefused(head, reason, detail));
  }
}

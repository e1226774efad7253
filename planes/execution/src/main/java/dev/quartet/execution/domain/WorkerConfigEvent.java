package dev.quartet.execution.domain;

import dev.quartet.contracts.trust.LeaseToken;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What happened to a worker's configuration, decided by {@link WorkerConfigRules}. Each event owns
 * its transition (Java 17 has no pattern switch); the shell applies them in order and reports
 * them: ACK/NACK on the config-acks topic, evidence for refusals and lease transitions.
 */
public sealed interface WorkerConfigEvent {
  /** The state after this event. */
  WorkerConfigState applyTo(WorkerConfigState s);

  /** A snapshot verified as the next link of the chain; applied on the next tick unless a newer one is. */
  record SnapshotLinked(ConfigSnapshot snapshot) implements WorkerConfigEvent {
    public WorkerConfigState applyTo(WorkerConfigState s) {
      return s.withLinked(snapshot);
    }
  }

  /** An exact replay of a version already verified: nothing to do, nothing to report. */
  record SnapshotIgnored(long version, String digest) implements WorkerConfigEvent {
    public WorkerConfigState applyTo(WorkerConfigState s) {
      return s;
    }
  }

  /** NACK: the snapshot (as far as it could be read) is refused for {@code reason}. */
  record SnapshotRefused(long version, String digest, RefusalReason reason, String detail) implements WorkerConfigEvent {
    public SnapshotRefused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    public WorkerConfigState applyTo(WorkerConfigState s) {
      return reason == RefusalReason.EXPIRED ? s.withExpiryReported(version) : s;
    }
  }

  /** ACK: the worker switched to {@code snapshot} at {@code at}. */
  record SnapshotApplied(ConfigSnapshot snapshot, Instant at) implements WorkerConfigEvent {
    public WorkerConfigState applyTo(WorkerConfigState s) {
      return s.withApplied(snapshot, at);
    }
  }

  /** A valid token naming the applied head extends the config lease to {@code until}. */
  record LeaseExtended(long version, Instant until) implements WorkerConfigEvent {
    public WorkerConfigState applyTo(WorkerConfigState s) {
      return s.withLeaseUntil(until);
    }
  }

  /** A valid token names a version the worker has not applied yet; it leases that version once applied. */
  record LeaseTokenHeld(LeaseToken token) implements WorkerConfigEvent {
    public WorkerConfigState applyTo(WorkerConfigState s) {
      return s.withAheadToken(token);
    }
  }

  /** A token that extends nothing, and why. */
  record LeaseTokenRefused(long headVersion, LeaseRefusal reason, String detail) implements WorkerConfigEvent {
    public WorkerConfigState applyTo(WorkerConfigState s) {
      return s;
    }
  }

  /** The lease ran out (or never began): the applied snapshot's degraded-mode policy rules from {@code since}. */
  record DegradedModeEntered(long version, String digest, DegradedPolicy policy, Duration grace, Instant since)
      implements WorkerConfigEvent {
    public WorkerConfigState applyTo(WorkerConfigState s) {
      return s.withRecorded(WorkerStatus.DEGRADED);
    }
  }

  /** continue-cached used up its grace at {@code at}: the worker stops admitting until a lease returns. */
  record GraceExhausted(long version, String digest, Instant at) implements WorkerConfigEvent {
    public WorkerConfigState applyTo(WorkerConfigState s) {
      return s.withGraceExhausted();
    }
  }

  /** A valid lease is back after a degradation or an expired config. */
  record LeaseRecovered(long version, String digest, WorkerStatus from) implements WorkerConfigEvent {
    public WorkerConfigState applyTo(WorkerConfigState s) {
      return s.withRecorded(WorkerStatus.LEASED);
    }
  }

  /** The applied version expired with nothing newer verified: the worker admits nothing (freeze). */
  record AppliedConfigExpired(long version, String digest, Instant expiredAt) implements WorkerConfigEvent {
    public WorkerConfigState applyTo(WorkerConfigState s) {
      return s.withRecorded(WorkerStatus.CONFIG_EXPIRED);
    }
  }
}

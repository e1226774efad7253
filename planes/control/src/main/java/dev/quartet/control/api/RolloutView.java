package dev.quartet.control.api;

import dev.quartet.control.RolloutWatcher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * A head's staged rollout: whom it targets (cohort percentage, labels), its bake time and NACK
 * threshold (null: the plane's default), its state (IN_PROGRESS, COMPLETED, HALTED) and why, and
 * the workers' reports on it.
 */
@Serdeable
public record RolloutView(long version, String cohort, Map<String, String> labels, String bake, @Nullable String maxNackRate,
                          String state, String reason, long applied, long refused, long notInCohort, @Nullable String decidedAt) {
  static RolloutView of(RolloutWatcher.RolloutStatus s) {
    var r = s.rollout();
    return new RolloutView(s.version(), r.cohortPercent() + "%", r.labels(), r.bake().toString(),
        r.maxNackPercent() == null ? null : r.maxNackPercent() + "%", s.verdict().state().name(), s.verdict().reason(),
        s.tally().applied(), s.tally().refused(), s.tally().notInCohort(), s.decidedAt() == null ? null : s.decidedAt().toString());
  }
}

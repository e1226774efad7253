package dev.quartet.control.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * The control plane's rollout verdict, pure (after AWS AppConfig's bake and automatic halt): a
 * version whose cohort's NACK rate passes the threshold is halted at once, whenever that happens;
 * one whose bake time has passed since it was published, with at least one ACK and the NACK rate
 * within the threshold, is completed. Widening is a new signed version with a wider cohort: the
 * control plane holds no admin key, so it records verdicts and never changes what workers apply.
 */
public final class RolloutRules {
  private RolloutRules() {}

  /**
   * Decides the rollout of a version published at {@code publishedAt}.
   *
   * @param defaultMaxNackPercent the plane's threshold, used when the body names none
   */
  public static RolloutVerdict decide(Rollout rollout, Instant publishedAt, RolloutTally tally, int defaultMaxNackPercent,
                                      Instant now) {
    int max = rollout.maxNackPercent() == null ? defaultMaxNackPercent : rollout.maxNackPercent();
    // refused / reported > max / 100, in integers: no rounding decides a halt.
    if (tally.refused() > 0 && tally.refused() * 100 > max * tally.reported()) {
      return new RolloutVerdict(RolloutState.HALTED, tally.refused() + " of " + tally.reported()
          + " reporting workers refused it (" + percent(tally.refused(), tally.reported()) + " > " + max + "% allowed)");
    }
    Instant baked = publishedAt.plus(rollout.bake());
    if (now.isBefore(baked)) {
      return new RolloutVerdict(RolloutState.IN_PROGRESS, "baking until " + baked + "; " + counts(tally));
    }
    if (tally.applied() == 0) {
      return new RolloutVerdict(RolloutState.IN_PROGRESS, "baked; waiting for a first ACK; " + counts(tally));
    }
    return new RolloutVerdict(RolloutState.COMPLETED, "baked " + shown(rollout.bake()) + "; " + counts(tally));
  }

  private static String counts(RolloutTally t) {
    return t.applied() + " applied, " + t.refused() + " refused, " + t.notInCohort() + " not in cohort";
  }

  private static String percent(long part, long whole) {
    return (part * 100 / whole) + "%";
  }

  private static String shown(Duration d) {
    return d.toString().substring(2).toLowerCase();
  }
}

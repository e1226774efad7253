package dev.quartet.evidence.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Pure rules of silent-plane detection: each instance gets at most one open gap at a time. */
public final class SilenceRules {
  private SilenceRules() {}

  /**
   * The decisions for {@code instances} at {@code now}: a gap for a running instance not heard
   * from for longer than {@code silentAfter}, a closing for one with an open gap that has been
   * heard from since. A stopped instance is not silent, it left.
   */
  public static List<SilenceDecision> decide(List<PlaneLivenessRow> instances, Instant now, Duration silentAfter) {
    List<SilenceDecision> decisions = new ArrayList<>();
    for (PlaneLivenessRow i : instances) {
      if (i.openGapId() != null) {
        if (i.lastSeenAt().isAfter(i.silentSince())) {
          decisions.add(new SilenceDecision.CloseGap(i));
        }
      } else if (!i.stopped() && i.lastSeenAt().plus(silentAfter).isBefore(now)) {
        decisions.add(new SilenceDecision.OpenGap(i));
      }
    }
    return decisions;
  }
}

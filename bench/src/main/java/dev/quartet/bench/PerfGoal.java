package dev.quartet.bench;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One goal of PERF-GOALS.md. {@code minRatio} / {@code maxRatio} are its checkable part (figure
 * divided by baseline); {@code maxCommitIntervalPlusBaselineMultiple} is the checkable part of a
 * latency goal stated as "p99 ≤ commit interval + N × baseline p99". A goal with none is shown, not judged.
 */
public record PerfGoal(String key, String scenario, String goal, String baseline, OptionalDouble minRatio,
                       OptionalDouble maxRatio, OptionalDouble maxCommitIntervalPlusBaselineMultiple) {
  public PerfGoal {
    Objects.requireNonNull(key, "PerfGoal: key");
    Objects.requireNonNull(goal, "PerfGoal " + key + ": goal");
    int checks = (minRatio.isPresent() ? 1 : 0) + (maxRatio.isPresent() ? 1 : 0)
        + (maxCommitIntervalPlusBaselineMultiple.isPresent() ? 1 : 0);
    if (checks > 1) {
      throw new IllegalArgumentException("PerfGoal " + key + ": one checkable part at most (minRatio, maxRatio or"
          + " maxCommitIntervalPlusBaselineMultiple)");
    }
  }

  /** A goal judged by a ratio alone (or not judged). */
  public PerfGoal(String key, String scenario, String goal, String baseline, OptionalDouble minRatio, OptionalDouble maxRatio) {
    this(key, scenario, goal, baseline, minRatio, maxRatio, OptionalDouble.empty());
  }

  /**
   * Whether a figure meets the goal against the mean baseline figure (same unit); a
   * commit-interval goal reads both as milliseconds. Empty when the goal has no checkable part.
   */
  public Optional<Boolean> met(double figure, double baseline, java.time.Duration commitInterval) {
    if (maxCommitIntervalPlusBaselineMultiple.isPresent()) {
      double bound = commitInterval.toNanos() / 1e6 + maxCommitIntervalPlusBaselineMultiple.getAsDouble() * baseline;
      return Optional.of(figure <= bound);
    }
    return met(figure / baseline);
  }

  /** Whether {@code ratio} meets the goal; empty when the goal has no checkable ratio. */
  public Optional<Boolean> met(double ratio) {
    if (minRatio.isPresent()) {
      return Optional.of(ratio >= minRatio.getAsDouble());
    }
    if (maxRatio.isPresent()) {
      return Optional.of(ratio <= maxRatio.getAsDouble());
    }
    return Optional.empty();
  }

  /** {@code >= 0.90}, {@code <= 3.00} or {@code <= commit interval + 2.00 x baseline}, or the goal's text when it has no check. */
  public String ratioText() {
    if (maxCommitIntervalPlusBaselineMultiple.isPresent()) {
      return String.format(Locale.ROOT, "<= commit interval + %.2f x baseline", maxCommitIntervalPlusBaselineMultiple.getAsDouble());
    }
    if (minRatio.isPresent()) {
      return String.format(Locale.ROOT, ">= %.2f", minRatio.getAsDouble());
    }
    if (maxRatio.isPresent()) {
      return String.format(Locale.ROOT, "<= %.2f", maxRatio.getAsDouble());
    }
    return goal;
  }
}

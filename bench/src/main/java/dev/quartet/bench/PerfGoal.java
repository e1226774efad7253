package dev.quartet.bench;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One goal of PERF-GOALS.md. {@code minRatio} / {@code maxRatio} are its checkable part (figure
 * divided by baseline); a goal with neither is shown, not judged.
 */
public record PerfGoal(String key, String scenario, String goal, String baseline, OptionalDouble minRatio,
                       OptionalDouble maxRatio) {
  public PerfGoal {
    Objects.requireNonNull(key, "PerfGoal: key");
    Objects.requireNonNull(goal, "PerfGoal " + key + ": goal");
    if (minRatio.isPresent() && maxRatio.isPresent()) {
      throw new IllegalArgumentException("PerfGoal " + key + ": a minimum or a maximum ratio, not both");
    }
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

  /** {@code >= 0.90} or {@code <= 3.00}, or the goal's text when it has no ratio. */
  public String ratioText() {
    if (minRatio.isPresent()) {
      return String.format(Locale.ROOT, ">= %.2f", minRatio.getAsDouble());
    }
    if (maxRatio.isPresent()) {
      return String.format(Locale.ROOT, "<= %.2f", maxRatio.getAsDouble());
    }
    return goal;
  }
}

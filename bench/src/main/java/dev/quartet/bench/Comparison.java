package dev.quartet.bench;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A Quartet scenario's figure against its baseline, measured on the same broker just before and
 * again just after it; the baseline figure is the mean of the two, which cancels drift (JIT
 * warming, page cache filling) that would otherwise favour whichever ran second. {@code ratio} is
 * figure / baseline for rates and latencies alike; the verdict is informational.
 */
public record Comparison(String baseline, Figure baselineFigure, Figure before, Figure after, double ratio,
                         Optional<PerfGoal> goal, Verdict verdict) {
  /** PASS or BELOW the goal's ratio; NOT_JUDGED when there is no checkable goal. */
  public enum Verdict { PASS, BELOW, NOT_JUDGED }

  public Comparison {
    Objects.requireNonNull(baseline, "Comparison: baseline");
    Objects.requireNonNull(baselineFigure, "Comparison: baselineFigure");
    Objects.requireNonNull(before, "Comparison: before");
    Objects.requireNonNull(after, "Comparison: after");
    Objects.requireNonNull(goal, "Comparison: goal");
    Objects.requireNonNull(verdict, "Comparison: verdict");
  }

  /** Compares {@code figure} with the mean of the baseline's {@code before} and {@code after} under {@code goal}. */
  public static Comparison of(String baseline, Figure before, Figure figure, Figure after, Optional<PerfGoal> goal) {
    return of(baseline, before, figure, after, goal, Duration.ZERO);
  }

  /**
   * As {@link #of(String, Figure, Figure, Figure, Optional)}, for goals that also allow the run's
   * {@code commitInterval} on top of a multiple of the baseline (submit → RUNNING).
   */
  public static Comparison of(String baseline, Figure before, Figure figure, Figure after, Optional<PerfGoal> goal,
                              Duration commitInterval) {
    for (Figure b : new Figure[] {before, after}) {
      if (!figure.unit().equals(b.unit())) {
        throw new IllegalStateException("cannot compare " + figure.unit() + " with baseline " + baseline + " in " + b.unit());
      }
    }
    Figure mean = new Figure(before.name(), (before.value() + after.value()) / 2, before.unit(), before.higherIsBetter());
    double ratio = figure.value() / mean.value();
    Verdict verdict = goal.flatMap(g -> g.met(figure.value(), mean.value(), commitInterval)).map(met -> met ? Verdict.PASS : Verdict.BELOW)
        .orElse(Verdict.NOT_JUDGED);
    return new Comparison(baseline, mean, before, after, ratio, goal, verdict);
  }
}

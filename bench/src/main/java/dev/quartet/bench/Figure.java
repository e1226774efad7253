package dev.quartet.bench;

import java.util.Objects;

/**
 * The one number a scenario is judged by, e.g. 52,000 rec/s or a 4.1 ms p99.
 *
 * @param higherIsBetter true for rates, false for latencies
 */
public record Figure(String name, double value, String unit, boolean higherIsBetter) {
  public Figure {
    Objects.requireNonNull(name, "Figure: name");
    Objects.requireNonNull(unit, "Figure: unit");
    if (!Double.isFinite(value) || value <= 0) {
      throw new IllegalArgumentException("Figure " + name + ": a measured value is finite and positive, was " + value);
    }
  }

  /** A rate in records per second. */
  public static Figure recordsPerSecond(double value) {
    return new Figure("throughput", value, "rec/s", true);
  }

  /** A latency percentile in milliseconds. */
  public static Figure latencyMillis(String percentile, double value) {
    return new Figure(percentile, value, "ms", false);
  }
}

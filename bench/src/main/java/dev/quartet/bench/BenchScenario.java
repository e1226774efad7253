package dev.quartet.bench;

import java.util.Optional;

/**
 * One thing {@code quartet bench} measures. A {@link Kind#BASELINE} is plain Kafka; a
 * {@link Kind#QUARTET} scenario names the baseline it is compared with, and the runner measures
 * that baseline on the same broker immediately before it, so only the ratio matters.
 *
 * <p>Scenarios are contributed by {@link BenchScenarioProvider}s found with
 * {@link java.util.ServiceLoader}. A scenario that cannot run yet is simply not provided: never
 * report a figure that was not measured.
 */
public interface BenchScenario {
  /** Whether a scenario is raw Kafka (a yardstick) or Quartet code (measured against one). */
  enum Kind { BASELINE, QUARTET }

  /** Unique, lowercase, dash-separated, e.g. {@code raw-producer-1KiB}; {@code --scenario} selects by it. */
  String name();

  /** One line: what is measured, with which settings. */
  String description();

  /** Baseline or Quartet scenario. */
  Kind kind();

  /** The name of the scenario whose figure this one's is divided by; empty for baselines. */
  default Optional<String> baseline() {
    return Optional.empty();
  }

  /** The key of this scenario's goal in {@code perf-goals.properties}, if it has one. */
  default Optional<String> goal() {
    return Optional.empty();
  }

  /**
   * Warms up for {@code ctx.settings().warmup()}, then measures for about
   * {@code ctx.settings().duration()}, calling {@link BenchContext#startMeasuring()} when the
   * measured window opens and {@link BenchContext#stopMeasuring()} when it closes. Every wait is
   * bounded by the settings; topics come from, and go back to, the context.
   *
   * @throws Exception when the scenario cannot complete; the run stops with the cause
   */
  ScenarioResult run(BenchContext ctx) throws Exception;
}

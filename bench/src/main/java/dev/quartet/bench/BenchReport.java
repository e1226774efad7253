package dev.quartet.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Everything one {@code quartet bench} run measured, in run order. */
public record BenchReport(Instant startedAt, Duration took, Machine machine, ClusterUnderTest cluster,
                          BenchSettings settings, List<ScenarioReport> scenarios) {
  public BenchReport {
    scenarios = List.copyOf(scenarios);
  }
}

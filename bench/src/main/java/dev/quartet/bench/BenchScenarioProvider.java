package dev.quartet.bench;

import java.util.List;

/**
 * Contributes scenarios to {@code quartet bench}; registered in
 * {@code META-INF/services/dev.quartet.bench.BenchScenarioProvider} so plane modules can add
 * theirs without the runner knowing them.
 */
public interface BenchScenarioProvider {
  /**
   * The scenarios for these settings, in the order they should run.
   *
   * @throws IllegalArgumentException when the settings cannot be honoured (a usage error)
   */
  List<BenchScenario> scenarios(BenchSettings settings);
}

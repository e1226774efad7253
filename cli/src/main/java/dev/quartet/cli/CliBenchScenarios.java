package dev.quartet.cli;

import dev.quartet.bench.BenchScenario;
import dev.quartet.bench.BenchScenarioProvider;
import dev.quartet.bench.BenchSettings;

import java.util.List;

/**
 * The CLI's own {@code quartet bench} scenarios — offline bundle verification, whose code lives
 * here — registered in {@code META-INF/services/dev.quartet.bench.BenchScenarioProvider}.
 */
public final class CliBenchScenarios implements BenchScenarioProvider {
  @Override
  public List<BenchScenario> scenarios(BenchSettings settings) {
    return List.of(EvidenceVerifyScenario.wholeTree(settings.recordSize()),
        EvidenceVerifyScenario.inclusionProofs(settings.recordSize()));
  }
}

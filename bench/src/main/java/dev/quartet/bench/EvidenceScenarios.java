package dev.quartet.bench;

import java.util.List;

/** The evidence plane's scenarios that exist today: evidence emit. */
public final class EvidenceScenarios implements BenchScenarioProvider {
  @Override
  public List<BenchScenario> scenarios(BenchSettings settings) {
    return List.of(new EvidenceEmitScenario(settings.recordSize()));
  }
}

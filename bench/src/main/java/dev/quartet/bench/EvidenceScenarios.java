package dev.quartet.bench;

import java.util.List;

/** The evidence plane's scenarios: emit (the client side), append (the log itself) and
 * checkpoint lag. */
public final class EvidenceScenarios implements BenchScenarioProvider {
  @Override
  public List<BenchScenario> scenarios(BenchSettings settings) {
    return List.of(new EvidenceEmitScenario(settings.recordSize()), new EvidenceAppendScenario(settings.recordSize()),
        new EvidenceCheckpointLagScenario(settings.recordSize()));
  }
}

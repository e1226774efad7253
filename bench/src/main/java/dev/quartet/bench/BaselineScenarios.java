package dev.quartet.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The plain baselines: Kafka producer at every size, consumer, end-to-end latency, transactional
 * copy; and raw SHA-256 leaf hashing, the yardstick of offline bundle verification.
 */
public final class BaselineScenarios implements BenchScenarioProvider {
  @Override
  public List<BenchScenario> scenarios(BenchSettings settings) {
    List<BenchScenario> scenarios = new ArrayList<>();
    for (int size : settings.producerSizes()) {
      scenarios.add(new RawProducerScenario(size));
    }
    scenarios.add(new RawConsumerScenario(settings.recordSize()));
    scenarios.add(new RawEndToEndLatencyScenario(settings.recordSize()));
    scenarios.add(new RawTransactionalCopyScenario(settings.recordSize()));
    scenarios.add(new RawLeafHashScenario(settings.recordSize()));
    return scenarios;
  }
}

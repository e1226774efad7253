package dev.quartet.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios that run the planes themselves (control, execution with a worker, data) in this
 * JVM: task pipeline throughput (against the raw transactional copy loop and the raw producer),
 * submit → RUNNING latency (against raw end-to-end latency), and CONFIDENTIAL payload puts inline
 * (against the raw producer at each size) and to the blob store (against raw fsync'd file writes),
 * 2 × overload (against the 1 × put of the same size), config publish → ACK from N workers (against raw
 * end-to-end latency), plus the baselines of those the raw-Kafka provider does not measure.
 */
public final class PlaneScenarios implements BenchScenarioProvider {
  @Override
  public List<BenchScenario> scenarios(BenchSettings settings) {
    PlaneBenchSettings planes = PlaneBenchSettings.fromSystemProperties();
    List<BenchScenario> scenarios = new ArrayList<>();
    for (int size : planes.inlineSizes()) {
      if (!settings.producerSizes().contains(size)) {
        scenarios.add(new RawProducerScenario(size));
      }
    }
    scenarios.add(new RawFsyncFileScenario(planes.blobSize(), planes.httpClients()));
    scenarios.add(TaskPipelineScenario.againstTransactionalCopy(settings.recordSize(), planes));
    scenarios.add(TaskPipelineScenario.againstProducer(settings.recordSize(), planes));
    scenarios.add(new TaskSubmitToRunningScenario(settings.recordSize(), planes));
    for (int size : planes.inlineSizes()) {
      scenarios.add(DataPutScenario.inline(size, planes));
    }
    scenarios.add(DataPutScenario.blob(planes.blobSize(), planes));
    // Overload at the largest inline size: the most bytes in flight per put, so the in-flight budget is what binds.
    scenarios.add(new DataOverloadScenario(planes.inlineSizes().stream().max(Integer::compare).orElseThrow(), planes));
    scenarios.add(new ConfigFanoutScenario(Integer.getInteger(ConfigFanoutScenario.WORKERS_PROPERTY,
        ConfigFanoutScenario.DEFAULT_WORKERS)));
    return scenarios;
  }
}

package dev.quartet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quartet.bench.BenchReport;
import dev.quartet.bench.ClusterUnderTest;
import dev.quartet.bench.Comparison;
import dev.quartet.bench.Figure;
import dev.quartet.bench.Machine;
import dev.quartet.bench.PerfGoal;
import dev.quartet.bench.ResourceUsage;
import dev.quartet.bench.ScenarioReport;

import java.util.Locale;
import java.util.Map;

/** The JSON form of a {@link BenchReport} (format version {@link #FORMAT}); docs/benchmarks.md shows its shape. */
final class BenchJson {
  /** Bumped when a field changes meaning or goes away; new fields may appear without a bump. */
  static final int FORMAT = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BenchJson() {}

  static ObjectNode of(BenchReport r) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("quartetBench", FORMAT);
    root.put("startedAt", r.startedAt().toString());
    root.put("tookSeconds", r.took().toMillis() / 1000.0);
    Machine m = r.machine();
    ObjectNode machine = root.putObject("machine");
    machine.put("cores", m.cores());
    machine.put("java", m.javaVersion());
    machine.put("vm", m.vm());
    machine.put("os", m.os());
    machine.put("maxHeapBytes", m.maxHeapBytes());
    m.collectors().forEach(machine.putArray("collectors")::add);
    ClusterUnderTest c = r.cluster();
    ObjectNode cluster = root.putObject("cluster");
    cluster.put("embedded", c.embedded());
    cluster.put("brokers", c.brokers());
    cluster.put("partitions", c.partitions());
    cluster.put("replicationFactor", c.replicationFactor());
    cluster.put("minInsyncReplicas", c.minInsyncReplicas());
    cluster.put("acks", "all");
    cluster.put("idempotence", true);
    ObjectNode settings = root.putObject("settings");
    settings.put("warmupSeconds", r.settings().warmup().toMillis() / 1000.0);
    settings.put("durationSeconds", r.settings().duration().toMillis() / 1000.0);
    settings.put("recordSize", r.settings().recordSize());
    settings.put("commitIntervalMs", r.settings().commitInterval().toMillis());
    var scenarios = root.putArray("scenarios");
    r.scenarios().forEach(s -> scenarios.add(scenario(s)));
    return root;
  }

  private static ObjectNode scenario(ScenarioReport s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("name", s.name());
    n.put("kind", s.kind().name().toLowerCase(Locale.ROOT));
    n.put("description", s.description());
    n.set("figure", figure(s.figure()));
    ObjectNode metrics = n.putObject("metrics");
    for (Map.Entry<String, Double> e : s.metrics().entrySet()) {
      metrics.put(e.getKey(), e.getValue());
    }
    ResourceUsage u = s.resources();
    ObjectNode resources = n.putObject("resources");
    resources.put("peakHeapUsedBytes", u.peakHeapUsedBytes());
    resources.put("gcMillis", u.gcMillis());
    resources.put("gcCount", u.gcCount());
    resources.put("cpuMillis", u.cpuMillis());
    resources.put("wallMillis", u.wallMillis());
    resources.put("cpuCores", u.cpuCores());
    if (s.comparison().isEmpty()) {
      n.putNull("baseline");
      n.putNull("ratio");
      n.putNull("goal");
      n.putNull("verdict");
      return n;
    }
    Comparison cmp = s.comparison().get();
    ObjectNode baseline = figure(cmp.baselineFigure());
    baseline.put("scenario", cmp.baseline());
    baseline.put("before", cmp.before().value());
    baseline.put("after", cmp.after().value());
    n.set("baseline", baseline);
    n.put("ratio", cmp.ratio());
    if (cmp.goal().isPresent()) {
      PerfGoal g = cmp.goal().get();
      ObjectNode goal = n.putObject("goal");
      goal.put("key", g.key());
      goal.put("scenario", g.scenario());
      goal.put("text", g.goal());
      g.minRatio().ifPresent(v -> goal.put("minRatio", v));
      g.maxRatio().ifPresent(v -> goal.put("maxRatio", v));
      g.maxCommitIntervalPlusBaselineMultiple().ifPresent(v -> goal.put("maxCommitIntervalPlusBaselineMultiple", v));
    } else {
      n.putNull("goal");
    }
    n.put("verdict", cmp.verdict().name());
    return n;
  }

  private static ObjectNode figure(Figure f) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("name", f.name());
    n.put("value", f.value());
    n.put("unit", f.unit());
    n.put("higherIsBetter", f.higherIsBetter());
    return n;
  }
}

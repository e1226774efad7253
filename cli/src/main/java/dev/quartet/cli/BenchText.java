package dev.quartet.cli;

import dev.quartet.bench.BenchReport;
import dev.quartet.bench.ClusterUnderTest;
import dev.quartet.bench.Comparison;
import dev.quartet.bench.Figure;
import dev.quartet.bench.PerfGoal;
import dev.quartet.bench.ResourceUsage;
import dev.quartet.bench.ScenarioReport;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The human form of a {@link BenchReport}: a header naming machine and broker, then one table row per scenario. */
final class BenchText {
  private static final String ROW = "%-18s %-16s %-26s %-32s %-7s %-8s %-7s %9s %6s %9s%n";

  private BenchText() {}

  static void print(PrintWriter out, BenchReport r) {
    ClusterUnderTest c = r.cluster();
    out.printf(Locale.ROOT, "quartet bench: %d cores, %s; %s Kafka, %d broker(s); topics %d partitions, RF %d, min ISR %d;"
            + " acks=all, idempotent%n", r.machine().cores(), r.machine().javaVersion(),
        c.embedded() ? "embedded" : "external", c.brokers(), c.partitions(), c.replicationFactor(), c.minInsyncReplicas());
    out.printf(Locale.ROOT, "warm-up %.1f s, measured %.1f s per scenario; record size %d B; EOS commit interval %d ms%n%n",
        r.settings().warmup().toMillis() / 1000.0, r.settings().duration().toMillis() / 1000.0,
        r.settings().recordSize(), r.settings().commitInterval().toMillis());
    out.printf(Locale.ROOT, ROW, "SCENARIO", "FIGURE", "ALSO", "BASELINE (mean before/after)", "RATIO", "GOAL", "VERDICT",
        "HEAP MiB", "GC ms", "CPU cores");
    for (ScenarioReport s : r.scenarios()) {
      ResourceUsage u = s.resources();
      String baseline = s.comparison().map(cmp -> cmp.baseline() + " " + figure(cmp.baselineFigure())).orElse("");
      String ratio = s.comparison().map(cmp -> String.format(Locale.ROOT, "%.3f", cmp.ratio())).orElse("");
      String goal = s.comparison().flatMap(Comparison::goal).map(PerfGoal::ratioText).orElse("");
      String verdict = s.comparison().map(cmp -> cmp.verdict() == Comparison.Verdict.NOT_JUDGED ? "-" : cmp.verdict().name())
          .orElse("");
      out.printf(Locale.ROOT, ROW, s.name(), figure(s.figure()), also(s.metrics()), baseline, ratio, goal, verdict,
          String.format(Locale.ROOT, "%.0f", u.peakHeapUsedBytes() / 1048576.0), u.gcMillis(),
          String.format(Locale.ROOT, "%.2f", u.cpuCores()));
    }
    out.println();
    out.println("Ratios are figure / baseline; the baseline is the mean of runs just before and just after the scenario,");
    out.println("on this broker, in this run. Verdicts are informational.");
    if (c.embedded()) {
      out.println("The embedded broker runs in this JVM: heap, GC and CPU include it.");
    }
    r.scenarios().stream().filter(s -> s.comparison().flatMap(Comparison::goal).isPresent()).forEach(s -> {
      PerfGoal g = s.comparison().get().goal().get();
      out.printf(Locale.ROOT, "%s: goal of \"%s\": %s%n", s.name(), g.scenario(), g.goal());
    });
    out.flush();
  }

  static String figure(Figure f) {
    return f.unit().equals("ms")
        ? String.format(Locale.ROOT, "%s %.2f ms", f.name(), f.value())
        : String.format(Locale.ROOT, "%,.0f %s", f.value(), f.unit());
  }

  /** The second number worth seeing at a glance: MB/s for rates, p50 and p99.9 for latencies. */
  private static String also(Map<String, Double> metrics) {
    if (metrics.containsKey("p50Ms")) {
      return String.format(Locale.ROOT, "p50 %.2f, p99.9 %.2f ms", metrics.get("p50Ms"), metrics.getOrDefault("p999Ms", 0.0));
    }
    if (metrics.containsKey("megabytesPerSec")) {
      return String.format(Locale.ROOT, "%.1f MB/s", metrics.get("megabytesPerSec"));
    }
    return "";
  }
}

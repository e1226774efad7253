package dev.quartet.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchRunnerTest {
  private static final BenchSettings SETTINGS = new BenchSettings(Duration.ZERO, Duration.ofMillis(100), 1024,
      Duration.ofMillis(100), Duration.ofSeconds(1));

  /** A scenario that reports a fixed rate and logs when it ran. */
  private record Fixed(String name, BenchScenario.Kind kind, Optional<String> baseline, Optional<String> goal,
                       double value, List<String> log) implements BenchScenario {
    @Override
    public String description() {
      return "fixed " + value;
    }

    @Override
    public ScenarioResult run(BenchContext ctx) {
      log.add(name);
      return new ScenarioResult(Figure.recordsPerSecond(value), Map.of("recordsPerSec", value));
    }
  }

  private final List<String> log = new ArrayList<>();

  private Fixed baseline(String name, double value) {
    return new Fixed(name, BenchScenario.Kind.BASELINE, Optional.empty(), Optional.empty(), value, log);
  }

  private Fixed quartet(String name, String baseline, double value) {
    return new Fixed(name, BenchScenario.Kind.QUARTET, Optional.of(baseline), Optional.of("evidence.append"), value, log);
  }

  private BenchReport run(List<BenchScenario> all, String selection) {
    BenchRunner runner = new BenchRunner(all, PerfGoals.load(), line -> { });
    return runner.run(new BenchContext("none:0", SETTINGS, null, 1), true, runner.select(selection));
  }

  @Test
  void measuresTheBaselineJustBeforeAndJustAfterEachQuartetScenario() {
    List<BenchScenario> all = List.of(quartet("q-one", "raw-a", 95), baseline("raw-b", 50), baseline("raw-a", 100),
        quartet("q-two", "raw-a", 80));
    BenchReport report = run(all, "all");
    assertEquals(List.of("raw-b", "raw-a", "q-one", "raw-a", "q-two", "raw-a"), log,
        "run order: the measurement after one scenario is the one before the next");
    assertEquals(List.of("raw-b", "raw-a", "q-one", "q-two"), report.scenarios().stream().map(ScenarioReport::name).toList(),
        "one report per selected scenario, baselines first");
  }

  @Test
  void ratioIsFigureOverBaselineAndVerdictFollowsTheGoal() {
    BenchReport report = run(List.of(baseline("raw-a", 100), quartet("q-one", "raw-a", 95), quartet("q-two", "raw-a", 80)), "q");
    Comparison passing = report.scenarios().get(0).comparison().orElseThrow();
    assertEquals(0.95, passing.ratio(), 1e-9);
    assertEquals(Comparison.Verdict.PASS, passing.verdict());
    Comparison below = report.scenarios().get(1).comparison().orElseThrow();
    assertEquals(Comparison.Verdict.BELOW, below.verdict(), "0.80 < goal 0.90");
    assertEquals(List.of("raw-a", "q-one", "raw-a", "q-two", "raw-a"), log, "an unselected baseline is still measured around each");
    assertEquals(2, report.scenarios().size(), "only selected scenarios are reported");
  }

  @Test
  void baselineIsTheMeanOfTheMeasurementsBeforeAndAfter() {
    double[] rates = {100, 80};
    int[] runs = {0};
    BenchScenario raw = new BenchScenario() {
      @Override
      public String name() {
        return "raw-a";
      }

      @Override
      public String description() {
        return "drifts from 100 to 80";
      }

      @Override
      public Kind kind() {
        return Kind.BASELINE;
      }

      @Override
      public ScenarioResult run(BenchContext ctx) {
        double v = rates[runs[0]++];
        return new ScenarioResult(Figure.recordsPerSecond(v), Map.of());
      }
    };
    BenchReport report = run(List.of(raw, quartet("q-one", "raw-a", 81)), "q-one");
    Comparison c = report.scenarios().get(0).comparison().orElseThrow();
    assertEquals(100, c.before().value(), 1e-9);
    assertEquals(80, c.after().value(), 1e-9);
    assertEquals(90, c.baselineFigure().value(), 1e-9);
    assertEquals(0.9, c.ratio(), 1e-9);
    assertEquals(Comparison.Verdict.PASS, c.verdict(), "0.90 meets >= 0.90");
  }

  @Test
  void selectsByNameOrPrefixAndRefusesUnknownNamesListingTheKnown() {
    BenchRunner runner = new BenchRunner(List.of(baseline("raw-producer-256B", 1), baseline("raw-producer-1KiB", 1),
        baseline("raw-consumer", 1)), PerfGoals.load(), line -> { });
    assertEquals(2, runner.select("raw-producer").size());
    assertEquals(1, runner.select("raw-consumer").size());
    assertEquals(3, runner.select("all").size());
    assertEquals(3, runner.select("raw").size(), "raw selects every raw-…");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner.select("raw-prod"));
    assertTrue(e.getMessage().contains("unknown scenario 'raw-prod'") && e.getMessage().contains("raw-consumer"), e.getMessage());
  }

  @Test
  void refusesAScenarioNamingAnUnknownBaselineOrGoal() {
    assertThrows(IllegalStateException.class,
        () -> new BenchRunner(List.of(quartet("q", "raw-missing", 1)), PerfGoals.load(), line -> { }));
    Fixed badGoal = new Fixed("q", BenchScenario.Kind.QUARTET, Optional.empty(), Optional.of("no.such.goal"), 1, log);
    assertThrows(IllegalStateException.class, () -> new BenchRunner(List.of(badGoal), PerfGoals.load(), line -> { }));
  }

  @Test
  void everyScenarioOnTheClassPathIsDiscoveredWithItsBaseline() {
    List<BenchScenario> all = BenchRunner.discover(SETTINGS);
    List<String> names = new BenchRunner(all, PerfGoals.load(), line -> { }).names();
    assertEquals(List.of("raw-producer-256B", "raw-producer-512B", "raw-producer-1KiB", "raw-producer-64KiB",
        "raw-consumer", "raw-e2e-latency", "raw-eos-copy", "raw-leaf-hash", "raw-producer-256KiB", "raw-fsync-file-1MiB",
        "evidence-emit", "evidence-append", "evidence-checkpoint-lag", "task-pipeline", "task-pipeline-vs-producer", "task-submit-to-running",
        "data-put-1KiB", "data-put-64KiB", "data-put-256KiB", "data-put-blob-1MiB", "data-put-overload-256KiB",
        "config-publish-ack"), names);
  }
}

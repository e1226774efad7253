package dev.quartet.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs scenarios one at a time: baselines first, then each Quartet scenario between two
 * measurements of its baseline, one just before (reused when the baseline was the very last thing
 * measured) and one just after. Every ratio compares figures taken on the same broker seconds
 * apart, against the mean of before and after so that drift favours neither side.
 */
public final class BenchRunner {
  /** {@code --scenario} value that selects every scenario. */
  public static final String ALL = "all";

  private final Map<String, BenchScenario> scenarios = new LinkedHashMap<>();
  private final PerfGoals goals;
  private final Consumer<String> progress;

  /**
   * @throws IllegalStateException when two scenarios share a name, or one names an unknown baseline or goal
   */
  public BenchRunner(List<BenchScenario> scenarios, PerfGoals goals, Consumer<String> progress) {
    this.goals = goals;
    this.progress = progress;
    for (BenchScenario s : scenarios) {
      if (this.scenarios.putIfAbsent(s.name(), s) != null) {
        throw new IllegalStateException("two bench scenarios are named " + s.name());
      }
    }
    for (BenchScenario s : scenarios) {
      s.baseline().filter(b -> !this.scenarios.containsKey(b)).ifPresent(b -> {
        throw new IllegalStateException("scenario " + s.name() + " names unknown baseline " + b);
      });
      s.goal().filter(g -> goals.find(g).isEmpty()).ifPresent(g -> {
        throw new IllegalStateException("scenario " + s.name() + " names goal " + g + ", not in perf-goals.properties");
      });
    }
  }

  /**
   * Every scenario the {@link BenchScenarioProvider}s on the class path offer for these settings.
   *
   * @throws IllegalArgumentException when a provider cannot honour the settings
   */
  public static List<BenchScenario> discover(BenchSettings settings) {
    List<BenchScenario> all = new ArrayList<>();
    for (BenchScenarioProvider provider : ServiceLoader.load(BenchScenarioProvider.class, BenchRunner.class.getClassLoader())) {
      all.addAll(provider.scenarios(settings));
    }
    return all;
  }

  /** Names of all known scenarios, in run order. */
  public List<String> names() {
    return ordered(scenarios.values()).stream().map(BenchScenario::name).toList();
  }

  /**
   * The scenarios a {@code --scenario} value selects: {@code all}, or a comma-separated list of
   * names or name prefixes ({@code raw-producer} selects every {@code raw-producer-…}), in run order.
   *
   * @throws IllegalArgumentException when an item matches nothing
   */
  public List<BenchScenario> select(String selection) {
    Set<BenchScenario> chosen = new LinkedHashSet<>();
    for (String item : selection.split(",")) {
      String wanted = item.trim().toLowerCase(Locale.ROOT);
      if (wanted.equals(ALL)) {
        chosen.addAll(scenarios.values());
        continue;
      }
      List<BenchScenario> matches = scenarios.values().stream()
          .filter(s -> s.name().toLowerCase(Locale.ROOT).equals(wanted)
              || s.name().toLowerCase(Locale.ROOT).startsWith(wanted + "-"))
          .toList();
      if (matches.isEmpty()) {
        throw new IllegalArgumentException("unknown scenario '" + item.trim() + "'; known: all, " + String.join(", ", names()));
      }
      chosen.addAll(matches);
    }
    return ordered(chosen);
  }

  /**
   * Runs {@code selected} against {@code ctx}.
   *
   * @throws ScenarioFailedException when a scenario cannot complete
   * @throws BenchUnavailableException when Kafka stops answering
   */
  public BenchReport run(BenchContext ctx, boolean embedded, List<BenchScenario> selected) {
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    List<ScenarioReport> reports = new ArrayList<>();
    ScenarioReport last = null;
    for (BenchScenario s : ordered(selected)) {
      if (s.baseline().isEmpty()) {
        last = measure(ctx, s);
        reports.add(last);
        continue;
      }
      String b = s.baseline().get();
      if (last == null || !last.name().equals(b)) {
        progress.accept(b + " again, as the baseline before " + s.name() + ":");
        last = measure(ctx, scenarios.get(b));
      }
      Figure before = last.figure();
      ScenarioReport measured = measure(ctx, s);
      progress.accept(b + " again, as the baseline after " + s.name() + ":");
      last = measure(ctx, scenarios.get(b));
      Comparison c = Comparison.of(b, before, measured.figure(), last.figure(), s.goal().flatMap(goals::find),
          ctx.settings().commitInterval());
      reports.add(new ScenarioReport(measured.name(), measured.kind(), measured.description(), measured.figure(),
          measured.metrics(), measured.resources(), Optional.of(c)));
      progress.accept(String.format(Locale.ROOT, "  %s / %s = %.3f (goal %s: %s)", s.name(), b, c.ratio(),
          c.goal().map(PerfGoal::ratioText).orElse("none"), c.verdict()));
    }
    return new BenchReport(startedAt, Duration.ofNanos(System.nanoTime() - start), Machine.current(),
        ClusterUnderTest.of(ctx, embedded), ctx.settings(), reports);
  }

  private ScenarioReport measure(BenchContext ctx, BenchScenario s) {
    progress.accept(String.format(Locale.ROOT, "%s: warm-up %s, measuring %s", s.name(),
        seconds(ctx.settings().warmup()), seconds(ctx.settings().duration())));
    ScenarioResult result;
    ResourceUsage usage;
    ctx.beginScenario();
    try {
      result = s.run(ctx);
    } catch (BenchUnavailableException | ScenarioFailedException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScenarioFailedException(s.name(), e);
    } catch (Exception e) {
      throw new ScenarioFailedException(s.name(), e);
    } finally {
      usage = ctx.endScenario();
    }
    Figure f = result.figure();
    progress.accept(String.format(Locale.ROOT, "  %s: %s = %.1f %s", s.name(), f.name(), f.value(), f.unit()));
    return new ScenarioReport(s.name(), s.kind(), s.description(), f, result.metrics(), usage, Optional.empty());
  }

  /** Baselines first, then Quartet scenarios, each group in discovery order. */
  private List<BenchScenario> ordered(Iterable<BenchScenario> scenarios) {
    List<BenchScenario> baselines = new ArrayList<>();
    List<BenchScenario> quartet = new ArrayList<>();
    for (BenchScenario s : scenarios) {
      (s.kind() == BenchScenario.Kind.BASELINE ? baselines : quartet).add(s);
    }
    baselines.addAll(quartet);
    return baselines;
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}

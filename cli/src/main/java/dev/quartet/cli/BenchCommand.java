package dev.quartet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quartet.bench.BenchContext;
import dev.quartet.bench.BenchReport;
import dev.quartet.bench.BenchRunner;
import dev.quartet.bench.BenchScenario;
import dev.quartet.bench.BenchSettings;
import dev.quartet.bench.BenchUnavailableException;
import dev.quartet.bench.PerfGoals;
import dev.quartet.bench.ScenarioFailedException;
import dev.quartet.contracts.ExitCode;
import dev.quartet.harness.EmbeddedKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code quartet bench}: what Quartet costs on top of Kafka, as ratios against raw Kafka
 * baselines measured on the same broker in the same run (an embedded one, deleted afterwards,
 * unless {@code --bootstrap} names a cluster). Verdicts are informational: a figure below its goal
 * never fails the command.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure Quartet scenarios against raw Kafka on the same broker, in the same run.",
        "Without --bootstrap an embedded broker is started in a temporary directory and deleted afterwards."})
final class BenchCommand implements Callable<Integer> {
  @ParentCommand
  Quartet root;
  @Spec
  CommandSpec spec;

  @Option(names = "--scenario", paramLabel = "NAME|all", defaultValue = BenchRunner.ALL,
      description = "all (default), or comma-separated names or name prefixes (raw-producer selects every size); see --list")
  String scenario;

  @Option(names = "--list", description = "List the scenarios and exit")
  boolean list;

  @Option(names = "--duration", paramLabel = "D", defaultValue = "10s", converter = BenchDurationConverter.class,
      description = "Measured time per scenario, e.g. 5s, 500ms, PT1M (default ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "D", defaultValue = "10s", converter = BenchDurationConverter.class,
      description = "Warm-up per scenario before measuring (default ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(names = "--record-size", paramLabel = "B", defaultValue = "1024",
      description = "Value size of single-size scenarios and of the producer baseline Quartet scenarios are compared with"
          + " (default ${DEFAULT-VALUE}); the producer is always measured at 256 B, 512 B, 1 KiB and 64 KiB too")
  int recordSize;

  @Option(names = "--commit-interval", paramLabel = "D", defaultValue = "100ms", converter = BenchDurationConverter.class,
      description = "Commit interval of the transactional copy loop; also the commit interval the submit -> RUNNING goal allows (default ${DEFAULT-VALUE})")
  Duration commitInterval;

  @Option(names = "--timeout", paramLabel = "D", defaultValue = "30s", converter = BenchDurationConverter.class,
      description = "Longest wait for any one broker operation (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--bootstrap", paramLabel = "SERVERS",
      description = "Bootstrap servers of an existing cluster (topics are capped to its broker count); default: embedded broker")
  String bootstrap;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the report as JSON to FILE")
  Path out;

  @Override
  public Integer call() throws IOException {
    BenchSettings settings = usage(() -> new BenchSettings(warmup, duration, recordSize, commitInterval, timeout));
    BenchRunner runner = new BenchRunner(usage(() -> BenchRunner.discover(settings)), PerfGoals.load(), this::progress);
    PrintWriter stdout = spec.commandLine().getOut();
    if (list) {
      runner.names().forEach(stdout::println);
      stdout.flush();
      return ExitCode.OK.code();
    }
    List<BenchScenario> selected = usage(() -> runner.select(scenario));
    if (out != null && out.toAbsolutePath().getParent() != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
      throw new CliFailure(ExitCode.USAGE, "--out: directory " + out.toAbsolutePath().getParent() + " does not exist");
    }
    BenchReport report = runOnBroker(runner, settings, selected);
    ObjectNode json = BenchJson.of(report);
    if (out != null) {
      Files.writeString(out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    }
    if (root.global.json()) {
      stdout.println(json.toString());
    } else {
      BenchText.print(stdout, report);
    }
    stdout.flush();
    return ExitCode.OK.code();
  }

  private BenchReport runOnBroker(BenchRunner runner, BenchSettings settings, List<BenchScenario> selected) throws IOException {
    Path tempDir = null;
    EmbeddedKafka kafka = null;
    try {
      String servers = bootstrap;
      if (servers == null) {
        tempDir = Files.createTempDirectory("quartet-bench-");
        progress("starting an embedded Kafka broker in " + tempDir);
        kafka = EmbeddedKafka.start(tempDir.resolve("kafka"), 0);
        servers = kafka.bootstrapServers();
      }
      try (BenchContext ctx = BenchContext.connect(servers, settings)) {
        return runner.run(ctx, kafka != null, selected);
      }
    } catch (BenchUnavailableException | ScenarioFailedException e) {
      throw new CliFailure(ExitCode.UNAVAILABLE, e.getMessage());
    } finally {
      if (kafka != null) {
        kafka.close();
      }
      if (tempDir != null) {
        BenchFiles.deleteTree(tempDir);
      }
    }
  }

  private void progress(String line) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("bench: " + line);
    err.flush();
  }

  /** Runs {@code step}, turning a refused setting into a usage error (exit 2). */
  private static <T> T usage(java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCode.USAGE, e.getMessage());
    }
  }
}

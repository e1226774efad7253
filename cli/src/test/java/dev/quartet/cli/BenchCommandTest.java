package dev.quartet.cli;

import dev.quartet.harness.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {
  @Test
  void readsShortAndIsoDurations() {
    BenchDurationConverter c = new BenchDurationConverter();
    assertEquals(Duration.ofMillis(500), c.convert("500ms"));
    assertEquals(Duration.ofSeconds(5), c.convert("5s"));
    assertEquals(Duration.ofMinutes(2), c.convert("2m"));
    assertEquals(Duration.ofSeconds(90), c.convert("PT1M30S"));
    assertThrows(picocli.CommandLine.TypeConversionException.class, () -> c.convert("soon"));
  }

  @Test
  void listsEveryScenarioWithoutTouchingKafka() {
    QuartetCommandLineTest.Run r = BenchCli.run("bench", "--list");
    assertEquals(0, r.exitCode(), r.err());
    for (String name : new String[] {"raw-producer-256B", "raw-producer-64KiB", "raw-consumer", "raw-e2e-latency",
        "raw-eos-copy", "evidence-emit", "raw-leaf-hash", "evidence-verify", "evidence-verify-proofs"}) {
      assertTrue(r.out().lines().anyMatch(name::equals), "lists " + name + ": " + r.out());
    }
  }

  @Test
  void unknownScenarioIsAUsageErrorListingTheKnownOnes() {
    QuartetCommandLineTest.Run r = BenchCli.run("bench", "--scenario", "lease-heartbeats");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("unknown scenario 'lease-heartbeats'") && r.err().contains("evidence-emit"), r.err());
  }

  @Test
  void recordSizeTooSmallForAnEvidenceEventIsAUsageErrorNamingTheMinimum() {
    QuartetCommandLineTest.Run r = BenchCli.run("bench", "--record-size", "100");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--record-size 100 B is below the smallest typical EvidenceEvent"), r.err());
  }

  @Test
  void malformedDurationIsAUsageError() {
    QuartetCommandLineTest.Run r = BenchCli.run("bench", "--duration", "forever");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("'forever' is not a duration"), r.err());
  }

  @Test
  void outIntoAMissingDirectoryIsRefusedBeforeAnythingRuns(@TempDir Path dir) {
    QuartetCommandLineTest.Run r = BenchCli.run("bench", "--out", dir.resolve("no/such/report.json").toString(),
        "--bootstrap", "127.0.0.1:1");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("does not exist"), r.err());
  }

  @Test
  void unreachableClusterExitsThreeWithOneLineNamingIt() {
    String servers = "127.0.0.1:" + FreePorts.any();
    QuartetCommandLineTest.Run r = BenchCli.run("bench", "--bootstrap", servers, "--timeout", "1s",
        "--scenario", "raw-consumer");
    assertEquals(3, r.exitCode(), r.err());
    String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.startsWith("quartet: Kafka at " + servers + " did not answer"), r.err());
  }
}

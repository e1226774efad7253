package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code quartet bench} end to end on its own embedded broker, briefly: the JSON report is
 * complete and well-formed. Checks shape, never values: these machines are too noisy for that.
 */
class BenchSmokeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> VERDICTS = Set.of("PASS", "BELOW", "NOT_JUDGED");

  @Test
  @Timeout(480)
  void allScenariosReportCompleteWellFormedJson(@TempDir Path dir) throws Exception {
    List<String> expected = BenchCli.run("bench", "--list").out().lines().toList();
    Set<Path> tempBefore = benchTempDirs();
    Path file = dir.resolve("report.json");

    // A handful of workers proves the fan-out scenario runs; the 50 of its goal are for real runs.
    System.setProperty("quartet.bench.fanout-workers", "3");
    // Small bundles prove the verify scenarios run; a million events are for real runs.
    System.setProperty(EvidenceVerifyScenario.EVENTS_PROPERTY, "5000");
    System.setProperty(EvidenceVerifyScenario.PROOF_EVENTS_PROPERTY, "1000");
    QuartetCommandLineTest.Run r;
    try {
      r = BenchCli.run("bench", "--scenario", "all", "--duration", "3s", "--warmup", "1s",
          "--output", "json", "--out", file.toString());
    } finally {
      System.clearProperty("quartet.bench.fanout-workers");
      System.clearProperty(EvidenceVerifyScenario.EVENTS_PROPERTY);
      System.clearProperty(EvidenceVerifyScenario.PROOF_EVENTS_PROPERTY);
    }

    assertEquals(0, r.exitCode(), "exit code; stderr was: " + r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(1, lines.size(), "one JSON object on stdout, was: " + r.out());
    JsonNode report = JSON.readTree(lines.get(0));
    assertEquals(report, JSON.readTree(Files.readString(file)), "--out holds the same report");
    assertEquals(1, report.path("quartetBench").asInt(), "format version: " + report);
    assertTrue(report.path("machine").path("cores").asInt() > 0, "machine.cores: " + report.path("machine"));
    assertTrue(report.path("cluster").path("embedded").asBoolean(), "cluster.embedded: " + report.path("cluster"));
    assertEquals(3.0, report.path("settings").path("durationSeconds").asDouble(), "settings: " + report.path("settings"));

    List<String> names = names(report);
    assertEquals(Set.copyOf(expected), Set.copyOf(names), "every scenario present once");
    assertEquals(expected.size(), names.size(), "no scenario twice: " + names);
    for (JsonNode s : report.path("scenarios")) {
      checkScenario(s);
    }
    assertEquals(tempBefore, benchTempDirs(), "the embedded broker's temp directory is deleted");
  }

  private static void checkScenario(JsonNode s) {
    String name = s.path("name").asText();
    positive(s, "figure.value", s.path("figure").path("value"));
    assertTrue(!s.path("figure").path("unit").asText().isEmpty(), name + ": figure.unit");
    assertTrue(s.path("metrics").size() > 0, name + ": metrics present");
    s.path("metrics").fields().forEachRemaining(m ->
        assertTrue(m.getValue().isNumber() && m.getValue().asDouble() >= 0, name + ": metric " + m.getKey() + " = " + m.getValue()));
    JsonNode res = s.path("resources");
    positive(s, "resources.wallMillis", res.path("wallMillis"));
    positive(s, "resources.peakHeapUsedBytes", res.path("peakHeapUsedBytes"));
    for (String f : List.of("gcMillis", "gcCount", "cpuMillis", "cpuCores")) {
      assertTrue(res.path(f).isNumber() && res.path(f).asDouble() >= 0, name + ": resources." + f + " = " + res.path(f));
    }
    switch (s.path("kind").asText()) {
      case "baseline" -> assertTrue(s.path("ratio").isNull() && s.path("baseline").isNull(),
          name + ": a baseline has no ratio: " + s);
      case "quartet" -> {
        if (s.path("baseline").isNull()) {
          // An absolute figure (e.g. checkpoint lag): nothing to divide by, so no ratio and no verdict.
          assertTrue(s.path("ratio").isNull() && s.path("verdict").isNull(), name + ": no baseline, no ratio: " + s);
          return;
        }
        positive(s, "ratio", s.path("ratio"));
        positive(s, "baseline.value", s.path("baseline").path("value"));
        positive(s, "baseline.before", s.path("baseline").path("before"));
        positive(s, "baseline.after", s.path("baseline").path("after"));
        assertTrue(!s.path("baseline").path("scenario").asText().isEmpty(), name + ": baseline.scenario: " + s);
        assertTrue(VERDICTS.contains(s.path("verdict").asText()), name + ": verdict: " + s.path("verdict"));
        assertTrue(s.path("goal").isNull() || s.path("goal").path("key").isTextual(), name + ": goal: " + s.path("goal"));
      }
      default -> throw new AssertionError(name + ": kind is baseline or quartet, was " + s.path("kind"));
    }
  }

  private static void positive(JsonNode scenario, String field, JsonNode value) {
    assertTrue(value.isNumber() && value.asDouble() > 0,
        scenario.path("name").asText() + ": " + field + " should be a positive number, was " + value);
  }

  private static List<String> names(JsonNode report) {
    return Stream.of(report.path("scenarios")).flatMap(a -> java.util.stream.StreamSupport.stream(a.spliterator(), false))
        .map(s -> s.path("name").asText()).toList();
  }

  private static Set<Path> benchTempDirs() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries.filter(p -> p.getFileName().toString().startsWith("quartet-bench-")).collect(Collectors.toSet());
    }
  }
}

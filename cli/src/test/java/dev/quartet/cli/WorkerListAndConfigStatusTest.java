package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.harness.FreePorts;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing and rendering of {@code quartet worker list} and {@code quartet config status}. */
class WorkerListAndConfigStatusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static QuartetCommandLineTest.Run run(String... args) {
    return QuartetCommandLineTest.run(Map.of(), args);
  }

  private static String deadServer() {
    return "http://127.0.0.1:" + FreePorts.any();
  }

  @Test
  void workerListParsesWithoutTheRunOptionsAndCallsTheServer() {
    String url = deadServer();
    var r = run("--server", url, "worker", "list", "--queue", "acme/dev");
    assertEquals(3, r.exitCode(), "parsed and tried the server; stderr was: " + r.err());
    assertTrue(r.err().contains(url), r.err());
  }

  @Test
  void workerListRefusesAMalformedQueueAsUsageError() {
    var r = run("--server", deadServer(), "worker", "list", "--queue", "Acme/dev");
    assertEquals(2, r.exitCode(), "exit code; stderr was: " + r.err());
    assertTrue(r.err().contains("--queue must be tenant, tenant/env or tenant/env/queue"), r.err());
  }

  @Test
  void runningAWorkerStillNeedsIdQueueAndTrust() {
    var r = run("worker", "--id", "w-1");
    assertEquals(2, r.exitCode(), "exit code; stderr was: " + r.err());
    assertTrue(r.err().contains("--queue") && r.err().contains("--trust") && !r.err().contains("'--id"), "names what is missing: " + r.err());
  }

  @Test
  void helpShowsTheNewSubcommands() {
    var worker = run("worker", "--help");
    assertEquals(0, worker.exitCode());
    assertTrue(worker.out().contains("list"), worker.out());
    var config = run("config", "--help");
    assertTrue(config.out().contains("status"), config.out());
    var status = run("config", "status", "--help");
    assertEquals(0, status.exitCode());
    assertTrue(status.out().contains("--scope"), status.out());
  }

  @Test
  void configStatusRefusesAMalformedScopeAndReachesForTheServerOtherwise() {
    var bad = run("--server", deadServer(), "config", "status", "--scope", "acme");
    assertEquals(2, bad.exitCode(), "exit code; stderr was: " + bad.err());
    assertTrue(bad.err().contains("--scope must be tenant/environment"), bad.err());
    var unavailable = run("--server", deadServer(), "config", "status", "--scope", "acme/dev");
    assertEquals(3, unavailable.exitCode(), "stderr was: " + unavailable.err());
  }

  @Test
  void workersPrintAsATableOrOneJsonObjectPerLine() throws Exception {
    JsonNode workers = JSON.readTree("""
        [{"id":"w-1","queue":"acme/dev/main","labels":{"gpu":"true","zone":"a"},"capacity":4,"state":"BUSY",
          "reportedState":"BUSY","taskCount":3,"appliedConfigVersion":7,"appliedConfigDigest":"%s",
          "lastSeenAt":"2026-01-01T00:00:00Z"},
         {"id":"w-22","queue":null,"labels":{},"capacity":null,"state":"LOST","reportedState":"READY","taskCount":0,
          "appliedConfigVersion":null,"appliedConfigDigest":null,"lastSeenAt":"2026-01-01T00:00:01Z"}]
        """.formatted("ab".repeat(32)));
    StringWriter text = new StringWriter();
    WorkerCommand.print(new PrintWriter(text), false, workers);
    List<String> lines = text.toString().lines().toList();
    assertEquals(3, lines.size(), text.toString());
    assertTrue(lines.get(0).startsWith("ID    QUEUE          STATE  TASKS  CAPACITY  CONFIG"), lines.get(0));
    assertTrue(lines.get(1).matches("w-1\\s+acme/dev/main\\s+BUSY\\s+3\\s+4\\s+v7 abababababab\\s+2026-01-01T00:00:00Z\\s+gpu=true,zone=a"),
        lines.get(1));
    assertTrue(lines.get(2).matches("w-22\\s+-\\s+LOST\\s+0\\s+-\\s+-\\s+2026-01-01T00:00:01Z\\s+-"), lines.get(2));

    StringWriter json = new StringWriter();
    WorkerCommand.print(new PrintWriter(json), true, workers);
    List<String> objects = json.toString().lines().toList();
    assertEquals(2, objects.size(), "one object per worker: " + json);
    assertEquals("w-22", JSON.readTree(objects.get(1)).path("id").asText());

    StringWriter none = new StringWriter();
    WorkerCommand.print(new PrintWriter(none), false, JSON.readTree("[]"));
    assertEquals("no workers", none.toString().strip());
  }

  @Test
  void configStatusPrintsTheHeadAndOneRowPerWorker() throws Exception {
    JsonNode status = JSON.readTree("""
        {"scope":"acme/dev","version":2,"digest":"%s","workers":[
          {"id":"w-1","queue":"acme/dev/main","state":"READY","appliedVersion":2,"appliedDigest":"%s",
           "lastAckAt":"2026-01-01T00:00:00Z","lastNackVersion":null,"lastNackReason":null,"lastNackAt":null,"onHead":true},
          {"id":"w-2","queue":null,"state":null,"appliedVersion":null,"appliedDigest":null,"lastAckAt":null,
           "lastNackVersion":2,"lastNackReason":"THRESHOLD_NOT_MET: 1 of 2","lastNackAt":"2026-01-01T00:00:02Z","onHead":false}]}
        """.formatted("cd".repeat(32), "cd".repeat(32)));
    StringWriter text = new StringWriter();
    ConfigCommand.printStatus(new PrintWriter(text), false, status);
    List<String> lines = text.toString().lines().toList();
    assertEquals("acme/dev head v2 digest " + "cd".repeat(32), lines.get(0));
    assertTrue(lines.get(2).matches("w-1\\s+acme/dev/main\\s+READY\\s+v2 cdcdcdcdcdcd\\s+yes\\s+2026-01-01T00:00:00Z\\s+-"), lines.get(2));
    assertTrue(lines.get(3).matches("w-2\\s+-\\s+-\\s+-\\s+no\\s+-\\s+v2 at 2026-01-01T00:00:02Z: THRESHOLD_NOT_MET: 1 of 2"),
        lines.get(3));

    StringWriter json = new StringWriter();
    ConfigCommand.printStatus(new PrintWriter(json), true, status);
    assertEquals(1, json.toString().lines().count(), "one JSON object: " + json);
    assertEquals(2, JSON.readTree(json.toString()).path("workers").size());

    StringWriter empty = new StringWriter();
    ConfigCommand.printStatus(new PrintWriter(empty), false, JSON.readTree("{\"scope\":\"acme/dev\",\"version\":null,\"workers\":[]}"));
    assertEquals("acme/dev has no published version\nno workers", empty.toString().strip().replace("\r", ""));
  }
}

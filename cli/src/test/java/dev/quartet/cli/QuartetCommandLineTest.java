package dev.quartet.cli;

import dev.quartet.harness.FreePorts;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuartetCommandLineTest {

  record Run(int exitCode, String out, String err) {}

  static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Quartet.execute(new PrintWriter(out, true), new PrintWriter(err, true), env, args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void unknownFlagIsAUsageErrorWithUsage() {
    Run r = run(Map.of(), "evidence", "query", "--no-such-flag");
    assertEquals(2, r.exitCode(), "exit code; stderr was: " + r.err());
    assertTrue(r.err().contains("Unknown option: '--no-such-flag'"), "names the flag: " + r.err());
    assertTrue(r.err().contains("Usage: quartet evidence query"), "prints usage: " + r.err());
  }

  @Test
  void missingSelectorIsAUsageError() {
    Run r = run(Map.of(), "evidence", "query");
    assertEquals(2, r.exitCode(), "exit code; stderr was: " + r.err());
  }

  @Test
  void malformedInstantIsAUsageErrorNamingTheOption() {
    Run r = run(Map.of(), "evidence", "query", "--from", "yesterday", "--to", "2100-01-01T00:00:00Z");
    assertEquals(2, r.exitCode(), "exit code; stderr was: " + r.err());
    assertTrue(r.err().contains("--from must be an ISO-8601 instant"), r.err());
  }

  @Test
  void serverNotRunningExitsThreeWithOneLineNamingUrlAndCause() {
    String url = "http://127.0.0.1:" + FreePorts.any();
    Run r = run(Map.of(), "--server", url, "evidence", "query", "--correlation", "c-1");
    assertEquals(3, r.exitCode(), "exit code; stderr was: " + r.err());
    String line = r.err().strip();
    assertEquals(1, line.lines().count(), "one line, was: " + line);
    assertTrue(line.contains(url) && line.contains("connection refused"), "names URL and cause: " + line);
  }

  @Test
  void serveRefusesAnUnknownPlaneAsUsageError() {
    Run r = run(Map.of(), "serve", "billing");
    assertEquals(2, r.exitCode(), "exit code; stderr was: " + r.err());
    assertTrue(r.err().contains("billing"), "names the bad value: " + r.err());
  }

  @Test
  void versionAndHelpSucceed() {
    Run version = run(Map.of(), "--version");
    assertEquals(0, version.exitCode());
    assertTrue(version.out().startsWith("quartet "), version.out());
    Run help = run(Map.of(), "evidence", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("query") && help.out().contains("tail"), help.out());
  }

  @Test
  void tokenComesFromFlagThenEnvironmentThenDataDir(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("admin.token"), "from-file\n");
    GlobalOptions options = new GlobalOptions();
    assertEquals("from-file", options.resolveToken(Map.of("QUARTET_DATA_DIR", dir.toString())));
    assertEquals("from-env", options.resolveToken(Map.of("QUARTET_DATA_DIR", dir.toString(), "QUARTET_TOKEN", "from-env")));
    options.token = "from-flag";
    assertEquals("from-flag", options.resolveToken(Map.of("QUARTET_TOKEN", "from-env")));
  }
}

package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quartet.harness.FreePorts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.quartet.cli.QuartetCommandLineTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A port nothing listens on: a command that got as far as calling the server would exit 3, not 2. */
  private final String nowhere = "http://127.0.0.1:" + FreePorts.any();

  @Test
  void aMissingRoleIsAUsageErrorWithUsage() {
    QuartetCommandLineTest.Run r = run(Map.of(), "--server", nowhere, "token", "create", "--tenant", "acme");
    assertEquals(2, r.exitCode(), "exit code; stderr was: " + r.err());
    assertTrue(r.err().contains("--role"), "names the missing option: " + r.err());
    assertTrue(r.err().contains("Usage: quartet token create"), "prints usage: " + r.err());
  }

  @Test
  void aMissingTenantIsAUsageError() {
    QuartetCommandLineTest.Run r = run(Map.of(), "--server", nowhere, "token", "create", "--role", "SUBMITTER");
    assertEquals(2, r.exitCode(), "exit code; stderr was: " + r.err());
    assertTrue(r.err().contains("--tenant"), r.err());
  }

  @Test
  void aMalformedTtlIsAUsageErrorBeforeAnyCall() {
    QuartetCommandLineTest.Run r = run(Map.of(), "--server", nowhere, "token", "create", "--role", "SUBMITTER",
        "--tenant", "acme", "--ttl", "tomorrow");
    assertEquals(2, r.exitCode(), "exit code; stderr was: " + r.err());
    assertTrue(r.err().contains("--ttl must look like 90s, 30m, 24h, 7d or PT24H, was tomorrow"), r.err());
  }

  @Test
  void aLowercaseRoleIsAUsageError() {
    QuartetCommandLineTest.Run r = run(Map.of(), "--server", nowhere, "token", "create", "--role", "submitter", "--tenant", "acme");
    assertEquals(2, r.exitCode(), "exit code; stderr was: " + r.err());
    assertTrue(r.err().contains("--role must be a role name"), r.err());
  }

  @Test
  void wellFormedArgumentsReachTheServerAndAnUnreachableOneExitsThree() {
    QuartetCommandLineTest.Run r = run(Map.of(), "--server", nowhere, "token", "create", "--role", "SUBMITTER",
        "--role", "DATA_INTERNAL", "--tenant", "acme", "--ttl", "24h");
    assertEquals(3, r.exitCode(), "exit code; stderr was: " + r.err());
    assertTrue(r.err().contains(nowhere), r.err());
    assertFalse(r.out().contains("ey"), "nothing resembling a token is printed: " + r.out());
  }

  @Test
  void theRequestCarriesEveryRoleTheTenantSubjectAndTtl() throws Exception {
    var create = new TokenCommand.Create();
    create.roles = List.of("SUBMITTER", "DATA_INTERNAL");
    create.tenant = "acme";
    create.subject = "ci-bot";
    create.ttl = "PT12H";
    JsonNode body = JSON.readTree(create.body());
    assertEquals(List.of("SUBMITTER", "DATA_INTERNAL"), List.of(body.path("roles").get(0).asText(), body.path("roles").get(1).asText()));
    assertEquals("acme", body.path("tenant").asText());
    assertEquals("ci-bot", body.path("subject").asText());
    assertEquals("PT12H", body.path("ttl").asText());

    create.subject = null;
    create.ttl = null;
    JsonNode defaults = JSON.readTree(create.body());
    assertFalse(defaults.has("subject") || defaults.has("ttl"), "absent options are left to the server's defaults: " + defaults);
  }
}

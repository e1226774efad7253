package dev.quartet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code quartet config status} shows the head's staged rollout. */
class ConfigStatusRolloutTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theRolloutIsOneLineBetweenHeadAndWorkers() throws Exception {
    var status = JSON.readTree("""
        {"scope":"acme/dev","version":3,"digest":"%s","workers":[],
         "rollout":{"version":3,"cohort":"50%%","labels":{"zone":"a"},"bake":"PT10M","maxNackRate":null,"state":"HALTED",
                    "reason":"1 of 3 reporting workers refused it (33%% > 0%% allowed)","applied":2,"refused":1,"notInCohort":4,
                    "decidedAt":"2026-06-01T12:00:00Z"}}
        """.formatted("ab".repeat(32)));
    StringWriter text = new StringWriter();
    ConfigCommand.printStatus(new PrintWriter(text), false, status);
    var lines = text.toString().lines().toList();
    assertEquals("rollout v3 HALTED (cohort 50%, labels zone=a, bake 10m; 2 applied, 1 refused, 4 not in cohort)"
        + " at 2026-06-01T12:00:00Z: 1 of 3 reporting workers refused it (33% > 0% allowed)", lines.get(1), text.toString());
    assertTrue(lines.get(0).startsWith("acme/dev head v3"), text.toString());
  }
}

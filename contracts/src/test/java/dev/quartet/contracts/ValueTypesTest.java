package dev.quartet.contracts;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueTypesTest {
  @Test
  void exitCodesAreTheSpecsNumbers() {
    assertEquals(0, ExitCode.OK.code());
    assertEquals(1, ExitCode.REJECTED.code());
    assertEquals(2, ExitCode.USAGE.code());
    assertEquals(3, ExitCode.UNAVAILABLE.code());
  }

  @Test
  void problemTypesHaveStableDistinctUris() {
    assertEquals("https://quartet.dev/problems/unauthorized", ProblemType.UNAUTHORIZED.type().toString());
    assertEquals("https://quartet.dev/problems/payload-too-large", ProblemType.PAYLOAD_TOO_LARGE.type().toString());
    Set<String> uris = new HashSet<>();
    for (ProblemType p : ProblemType.values()) {
      assertTrue(uris.add(p.type().toString()), "duplicate type URI " + p.type());
      assertTrue(p.status() >= 400 && p.status() < 600, p + " status " + p.status());
      assertEquals(p, ProblemType.fromType(p.type().toString()).orElseThrow());
    }
    assertTrue(ProblemType.fromType("https://example.com/other").isEmpty());
  }

  @Test
  void overloadIs429AndMapsToUnavailableExit() {
    assertEquals(429, ProblemType.OVERLOADED.status());
    assertEquals(413, ProblemType.PAYLOAD_TOO_LARGE.status());
    assertEquals(ExitCode.UNAVAILABLE, ProblemType.OVERLOADED.exitCode());
    assertEquals(ExitCode.REJECTED, ProblemType.VALIDATION.exitCode());
  }

  @Test
  void planeIdsAreLowercaseAndRoundTrip() {
    assertEquals("control", Plane.CONTROL.id());
    Arrays.stream(Plane.values()).forEach(p -> assertEquals(p, Plane.fromId(p.id())));
    assertThrows(IllegalArgumentException.class, () -> Plane.fromId("CONTROL"));
  }
}

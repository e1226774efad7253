package dev.quartet.control.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkerRegistrationTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void keepsAWellFormedRegistration() {
    var r = new WorkerRegistration("w-1", "acme/dev/main", new TreeMap<>(Map.of("zone", "a", "gpu", "true")), 4, AT);
    assertEquals("gpu", r.labels().firstKey(), "labels are sorted");
    assertEquals(r, r.requireAtMost(2));
  }

  @Test
  void refusesAMalformedQueueOrId() {
    for (String queue : new String[] {"acme/dev", "acme/dev/main/x", "Acme/dev/main", "acme//main", "", null}) {
      assertThrows(IllegalArgumentException.class, () -> new WorkerRegistration("w-1", queue, null, 1, AT), "queue " + queue);
    }
    for (String id : new String[] {"", "-w", "w 1", "x".repeat(129), null}) {
      assertThrows(IllegalArgumentException.class, () -> new WorkerRegistration(id, "acme/dev/main", null, 1, AT), "id " + id);
    }
  }

  @Test
  void refusesTooManyOrTooLongLabelsAndNegativeCapacity() {
    var labels = new TreeMap<String, String>();
    for (int i = 0; i < 3; i++) {
      labels.put("k" + i, "v");
    }
    var r = new WorkerRegistration("w-1", "acme/dev/main", labels, 1, AT);
    assertThrows(IllegalArgumentException.class, () -> r.requireAtMost(2));
    assertThrows(IllegalArgumentException.class,
        () -> new WorkerRegistration("w-1", "acme/dev/main", new TreeMap<>(Map.of("k", "v".repeat(64))), 1, AT));
    assertThrows(IllegalArgumentException.class, () -> new WorkerRegistration("w-1", "acme/dev/main", null, -1, AT));
  }

  @Test
  void refusesAHeartbeatWithAnUnknownStateOrAMalformedDigest() {
    assertThrows(IllegalArgumentException.class, () -> new WorkerBeat("w-1", "SLEEPING", 0, false, null, null, null, AT));
    assertThrows(IllegalArgumentException.class, () -> new WorkerBeat("w-1", "READY", 0, true, 1, 1L, "not-hex", AT));
    assertThrows(IllegalArgumentException.class, () -> new WorkerBeat("w-1", "READY", -1, false, null, null, null, AT));
    assertEquals("READY", new WorkerBeat("w-1", "READY", 0, true, 1, null, null, AT).state());
  }
}

package dev.quartet.execution.domain;

import dev.quartet.contracts.ConfigScope;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkerIdentityTest {
  @Test
  void aQueueNamesItsScope() {
    WorkerQueue q = WorkerQueue.parse("default/dev/main");
    assertEquals(new ConfigScope("default", "dev"), q.scope());
    assertEquals("main", q.name());
    assertEquals("default/dev/main", q.toString());
  }

  @Test
  void refusesMalformedQueues() {
    for (String bad : new String[] {"default/dev", "default/dev/main/x", "Default/dev/main", "default//main", "/dev/main"}) {
      assertThrows(IllegalArgumentException.class, () -> WorkerQueue.parse(bad), bad);
    }
  }

  @Test
  void parsesLabels() {
    assertEquals(Map.of("gpu", "a100", "zone", "eu-1"), WorkerIdentity.parseLabels("zone=eu-1, gpu=a100"));
    assertEquals(Map.of(), WorkerIdentity.parseLabels(""));
    assertThrows(IllegalArgumentException.class, () -> WorkerIdentity.parseLabels("zone"));
    assertThrows(IllegalArgumentException.class, () -> WorkerIdentity.parseLabels("a=1,a=2"));
  }

  @Test
  void boundsLabels() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= WorkerIdentity.MAX_LABELS; i++) {
      many.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
    }
    assertThrows(IllegalArgumentException.class,
        () -> new WorkerIdentity("w1", WorkerQueue.parse("default/dev/main"), WorkerIdentity.parseLabels(many.toString())));
    assertThrows(IllegalArgumentException.class,
        () -> new WorkerIdentity("w1", WorkerQueue.parse("default/dev/main"), Map.of("zone", "eu 1")));
  }
}

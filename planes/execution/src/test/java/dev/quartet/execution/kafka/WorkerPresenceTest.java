package dev.quartet.execution.kafka;

import dev.quartet.execution.domain.WorkerStatus;
import dev.quartet.schemas.WorkerState;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPresenceTest {
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void refusesAFullHeartbeatIntervalShorterThanTheLightOne() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new WorkerPresence.Cadence(Duration.ofSeconds(5), Duration.ofSeconds(4), SECOND));
    assertTrue(e.getMessage().contains("full-heartbeat-interval"), e.getMessage());
    assertEquals(SECOND, new WorkerPresence.Cadence(SECOND, SECOND, SECOND).fullHeartbeat(), "equal intervals: every heartbeat is full");
  }

  @Test
  void refusesIntervalsThatAreNotPositive() {
    assertThrows(IllegalArgumentException.class, () -> new WorkerPresence.Cadence(Duration.ZERO, SECOND, SECOND));
    assertThrows(IllegalArgumentException.class, () -> new WorkerPresence.Cadence(SECOND, SECOND, Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> new WorkerPresence.Cadence(null, SECOND, SECOND));
  }

  @Test
  void aReportCarriesVersionAndDigestTogetherAndNoNegativeCount() {
    assertThrows(IllegalArgumentException.class, () -> new WorkerPresence.Report(WorkerState.READY, 0, 3L, null));
    assertThrows(IllegalArgumentException.class, () -> new WorkerPresence.Report(WorkerState.READY, 0, null, "ab"));
    assertThrows(IllegalArgumentException.class, () -> new WorkerPresence.Report(WorkerState.READY, -1, null, null));
    assertThrows(IllegalArgumentException.class, () -> new WorkerPresence.Report(null, 0, null, null));
    assertEquals(3L, new WorkerPresence.Report(WorkerState.BUSY, 2, 3L, "ab").appliedConfigVersion());
  }

  @Test
  void aLeasedWorkerIsReadyOrBusyAndAnyOtherIsDegraded() {
    assertEquals(WorkerState.READY, WorkerPresence.Report.of(WorkerStatus.LEASED, 0, null).state());
    assertEquals(WorkerState.BUSY, WorkerPresence.Report.of(WorkerStatus.LEASED, 2, null).state());
    for (WorkerStatus s : new WorkerStatus[] {WorkerStatus.NO_CONFIG, WorkerStatus.DEGRADED, WorkerStatus.CONFIG_EXPIRED}) {
      assertEquals(WorkerState.DEGRADED, WorkerPresence.Report.of(s, 1, null).state(), s.name());
    }
    var none = WorkerPresence.Report.of(WorkerStatus.NO_CONFIG, 0, null);
    assertEquals(null, none.appliedConfigVersion(), "no config applied yet: no version, no digest");
    assertEquals(null, none.appliedConfigDigest());
  }
}

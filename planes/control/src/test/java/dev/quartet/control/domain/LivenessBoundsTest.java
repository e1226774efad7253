package dev.quartet.control.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LivenessBoundsTest {
  private static final Instant SEEN = Instant.parse("2026-01-01T00:00:00Z");
  private final LivenessBounds bounds = new LivenessBounds(Duration.ofSeconds(30), Duration.ofMinutes(2));

  @Test
  void aWorkerHeardFromWithinTheStaleBoundIsLive() {
    assertEquals(WorkerLiveness.LIVE, bounds.livenessAt(SEEN, SEEN));
    assertEquals(WorkerLiveness.LIVE, bounds.livenessAt(SEEN, SEEN.plusSeconds(30).minusMillis(1)));
  }

  @Test
  void silenceOfExactlyTheStaleBoundMakesItStaleUntilTheLostBound() {
    assertEquals(WorkerLiveness.STALE, bounds.livenessAt(SEEN, SEEN.plusSeconds(30)));
    assertEquals(WorkerLiveness.STALE, bounds.livenessAt(SEEN, SEEN.plusSeconds(120).minusMillis(1)));
  }

  @Test
  void silenceOfTheLostBoundOrMoreMakesItLost() {
    assertEquals(WorkerLiveness.LOST, bounds.livenessAt(SEEN, SEEN.plusSeconds(120)));
    assertEquals(WorkerLiveness.LOST, bounds.livenessAt(SEEN, SEEN.plus(Duration.ofDays(3))));
  }

  @Test
  void aLastSeenAheadOfNowCountsAsJustSeen() {
    assertEquals(WorkerLiveness.LIVE, bounds.livenessAt(SEEN.plusSeconds(300), SEEN));
  }

  @Test
  void refusesBoundsThatAreNotPositiveAndIncreasing() {
    assertThrows(IllegalArgumentException.class, () -> new LivenessBounds(Duration.ZERO, Duration.ofMinutes(1)));
    assertThrows(IllegalArgumentException.class, () -> new LivenessBounds(Duration.ofMinutes(1), Duration.ofMinutes(1)));
    var e = assertThrows(IllegalArgumentException.class, () -> new LivenessBounds(Duration.ofMinutes(2), Duration.ofMinutes(1)));
    assertTrue(e.getMessage().contains("lost-after"), e.getMessage());
  }

  @Test
  void aLiveWorkerShowsItsOwnStateAndASilentOneShowsStaleOrLost() {
    WorkerSummary busy = new WorkerSummary("w-1", "acme/dev/main", Map.of(), 4, "BUSY", 3, 1L, null, SEEN, SEEN, SEEN);
    assertEquals("BUSY", busy.stateAt(bounds, SEEN.plusSeconds(1)));
    assertEquals("STALE", busy.stateAt(bounds, SEEN.plusSeconds(31)));
    assertEquals("LOST", busy.stateAt(bounds, SEEN.plusSeconds(121)));
    WorkerSummary quiet = new WorkerSummary("w-2", "acme/dev/main", Map.of(), 4, null, null, null, null, SEEN, null, SEEN);
    assertEquals(WorkerSummary.REGISTERED, quiet.stateAt(bounds, SEEN.plusSeconds(1)), "registered, no heartbeat yet");
    assertEquals("LOST", quiet.stateAt(bounds, SEEN.plusSeconds(121)));
  }

  @Test
  void aWorkerIsOnTheHeadOnlyWithTheHeadsVersionAndDigest() {
    String digest = "a".repeat(64);
    ConfigHead head = new ConfigHead(ConfigSnapshot.fromSignedPayload(ConfigFixtures.signed(ConfigFixtures.doc("acme/dev", 1, "",
        "2030-01-01T00:00:00Z", ConfigFixtures.body("127.0.0.1:1"))).payload()));
    var scope = dev.quartet.contracts.ConfigScope.parse("acme/dev");
    var onHead = new WorkerConfigStatus("w-1", null, new ConfigReport.Applied("w-1", scope, 1, head.digest(), SEEN), null);
    var otherDigest = new WorkerConfigStatus("w-2", null, new ConfigReport.Applied("w-2", scope, 1, digest, SEEN), null);
    var refusedOnly = new WorkerConfigStatus("w-3", null, null, new ConfigReport.Refused("w-3", scope, 1, head.digest(), "EXPIRED", SEEN));
    assertTrue(onHead.onHead(head));
    assertFalse(otherDigest.onHead(head), "same version, other digest: not the head");
    assertFalse(refusedOnly.onHead(head));
    assertFalse(onHead.onHead(null), "a scope without a head has no worker on it");
  }
}

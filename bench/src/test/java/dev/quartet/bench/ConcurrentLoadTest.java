package dev.quartet.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrentLoadTest {
  @Test
  void countsOnlyAcceptedAttemptsAndOpensAndClosesTheWindowOnce() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    ConcurrentLoad.Result r = ConcurrentLoad.run(2, c -> calls.incrementAndGet() % 2 == 0
            ? ConcurrentLoad.Outcome.ACCEPTED : ConcurrentLoad.Outcome.IDLE,
        Duration.ZERO, Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(5), opened::incrementAndGet,
        closed::incrementAndGet);
    assertEquals(1, opened.get());
    assertEquals(1, closed.get());
    assertEquals(0.1, r.seconds(), 1e-9);
    assertTrue(r.accepted() <= calls.get() / 2 + 2, "at most the accepted half: " + r + " of " + calls.get());
    assertEquals(0, r.refused());
  }

  @Test
  void aFailingAttemptEndsTheRunWithItsCause() {
    var e = assertThrows(IllegalStateException.class, () -> ConcurrentLoad.run(1, c -> {
      throw new java.io.IOException("disk full");
    }, Duration.ZERO, Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(5), () -> { }, () -> { }));
    assertTrue(e.getMessage().contains("disk full"), e.getMessage());
  }
}

package dev.quartet.contracts.evidence;

import dev.quartet.schemas.EvidenceEvent;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpeningCourierTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
  private static final String VALUE = "alice@example.com";
  private final LinkedBlockingQueue<EvidenceEvent> losses = new LinkedBlockingQueue<>();

  @Test
  void depositsTheOpeningsOfAnEmittedEventUnderItsId() throws Exception {
    var deposited = new CompletableFuture<List<Redaction.Opening>>();
    RedactedEvent r = redacted("ev-ok");
    try (var courier = courier((id, openings) -> deposited.complete(openings), settings(3))) {
      courier.deliver(r);
      List<Redaction.Opening> got = deposited.get(5, TimeUnit.SECONDS);
      assertEquals(r.openings(), got, "the openings of ev-ok");
      awaitCount(courier::deliveredEvents, 1);
      assertEquals(0, courier.pendingEvents(), "nothing left pending");
    }
    assertNull(losses.poll(), "no loss recorded");
  }

  @Test
  void retriesWhileTheEvidencePlaneIsDownThenDelivers() throws Exception {
    var attempts = new AtomicInteger();
    try (var courier = courier((id, openings) -> {
      if (attempts.incrementAndGet() < 3) {
        throw new OpeningDepositException(true, "evidence plane answered 503");
      }
    }, settings(3))) {
      courier.deliver(redacted("ev-late"));
      awaitCount(courier::deliveredEvents, 1);
      assertEquals(3, attempts.get(), "two failures, then the deposit");
    }
    assertNull(losses.poll(), "delivered on the last allowed attempt: no loss");
  }

  @Test
  void recordsTheLossWithoutTheValueWhenAttemptsAreUsedUp() throws Exception {
    var attempts = new AtomicInteger();
    try (var courier = courier((id, openings) -> {
      attempts.incrementAndGet();
      throw new OpeningDepositException(true, "evidence plane unreachable (ConnectException)");
    }, settings(4))) {
      RedactedEvent r = redacted("ev-lost");
      courier.deliver(r);
      EvidenceEvent loss = losses.poll(5, TimeUnit.SECONDS);
      assertNotNull(loss, "a loss event after four failed attempts");
      assertEquals(4, attempts.get(), "exactly maxAttempts attempts");
      assertEquals(OpeningCourier.OPENINGS_LOST, loss.getType());
      assertEquals("ev-lost", loss.getAttributes().get("eventId"));
      assertEquals("subject", loss.getAttributes().get("attributes"));
      assertEquals("4", loss.getAttributes().get("attempts"));
      assertEquals(r.event().getTenant(), loss.getTenant(), "the loss is visible to the event's tenant");
      assertEquals(r.event().getCorrelationId(), loss.getCorrelationId(), "and found next to it");
      assertEquals(CLOCK.instant(), loss.getOccurredAt());
      assertFalse(loss.toString().contains(VALUE), "never the value: " + loss);
      assertEquals(1, courier.lostEvents());
    }
  }

  @Test
  void aRefusalThatWillNotPassIsALossAtOnce() throws Exception {
    var attempts = new AtomicInteger();
    try (var courier = courier((id, openings) -> {
      attempts.incrementAndGet();
      throw new OpeningDepositException(false, "evidence plane answered 403");
    }, settings(8))) {
      courier.deliver(redacted("ev-refused"));
      EvidenceEvent loss = losses.poll(5, TimeUnit.SECONDS);
      assertNotNull(loss, "a loss event");
      assertEquals("evidence plane answered 403", loss.getAttributes().get("reason"));
      assertEquals(1, attempts.get(), "no retry of a 403");
    }
  }

  @Test
  void openingsBeyondThePendingBoundAreALossNotAWait() throws Exception {
    var release = new CountDownLatch(1);
    var settings = new OpeningDeliverySettings(1, 1, Duration.ofMillis(1), Duration.ofMillis(1));
    try (var courier = courier((id, openings) -> release.await(), settings)) {
      courier.deliver(redacted("ev-held"));
      courier.deliver(redacted("ev-over"));
      EvidenceEvent loss = losses.poll(5, TimeUnit.SECONDS);
      assertNotNull(loss, "the second event's openings are lost at once");
      assertEquals("ev-over", loss.getAttributes().get("eventId"));
      assertTrue(loss.getAttributes().get("reason").startsWith("pending openings full"), loss.getAttributes().toString());
      release.countDown();
      awaitCount(courier::deliveredEvents, 1);
    }
  }

  @Test
  void closingReportsWhatIsStillPendingAsLost() throws Exception {
    var courier = courier((id, openings) -> {
      throw new OpeningDepositException(true, "evidence plane answered 503");
    }, new OpeningDeliverySettings(10, 100, Duration.ofMinutes(1), Duration.ofMinutes(1)));
    courier.deliver(redacted("ev-pending"));
    courier.close();
    EvidenceEvent loss = losses.poll(5, TimeUnit.SECONDS);
    assertNotNull(loss, "the pending openings reported lost on close");
    assertEquals("ev-pending", loss.getAttributes().get("eventId"));
    assertEquals("shut down before delivery", loss.getAttributes().get("reason"));
    assertEquals(0, courier.pendingEvents());
  }

  private OpeningCourier courier(OpeningDeposit deposit, OpeningDeliverySettings settings) {
    return new OpeningCourier(deposit, settings, e -> {
      losses.add(e);
      return CompletableFuture.completedFuture(null);
    }, CLOCK);
  }

  private static OpeningDeliverySettings settings(int attempts) {
    return new OpeningDeliverySettings(10, attempts, Duration.ofMillis(1), Duration.ofMillis(4));
  }

  private static RedactedEvent redacted(String id) {
    EvidenceEvent e = EvidenceEvent.newBuilder(RedactionTest.event(Map.of("subject", VALUE, "jti", "j-" + id))).setId(id).build();
    return Redaction.redact(e, Set.of("subject"), new Random(id.hashCode()));
  }

  /** Waits (bounded) until {@code counter} reaches {@code n}: delivery runs on the courier's thread. */
  private static void awaitCount(LongSupplier counter, long n) {
    await("count " + n).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
        .until(() -> counter.getAsLong() >= n);
  }
}

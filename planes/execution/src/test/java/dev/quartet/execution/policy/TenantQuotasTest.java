package dev.quartet.execution.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class TenantQuotasTest {
  private static final Instant MINUTE_START = Instant.parse("2026-11-24T03:00:00Z");
  private final TestClock clock = new TestClock(MINUTE_START);

  @Test
  void refusesBeyondConcurrentTasksAndAdmitsAgainAfterARelease() {
    TenantQuotas quotas = new TenantQuotas(clock, 10);
    QuotaLimits limits = new QuotaLimits(2, QuotaLimits.UNLIMITED);
    QuotaPermit first = admitted(quotas.tryAcquire("acme", limits));
    admitted(quotas.tryAcquire("acme", limits));
    assertEquals("quotas.concurrentTasks", refused(quotas.tryAcquire("acme", limits)).policy());
    admitted(quotas.tryAcquire("other", limits));  // tenants do not share a quota
    first.release();
    first.release();  // a second release must not free a second slot
    admitted(quotas.tryAcquire("acme", limits));
    assertEquals("quotas.concurrentTasks", refused(quotas.tryAcquire("acme", limits)).policy());
    assertEquals(2, quotas.running("acme"));
  }

  @Test
  void refusesBeyondTasksPerMinuteUntilTheWindowHasPassed() {
    TenantQuotas quotas = new TenantQuotas(clock, 10);
    QuotaLimits limits = new QuotaLimits(QuotaLimits.UNLIMITED, 3);
    for (int i = 0; i < 3; i++) {
      admitted(quotas.tryAcquire("acme", limits)).release();
    }
    assertEquals("quotas.tasksPerMinute", refused(quotas.tryAcquire("acme", limits)).policy());
    clock.advance(Duration.ofSeconds(59));
    assertEquals("quotas.tasksPerMinute", refused(quotas.tryAcquire("acme", limits)).policy());
    clock.advance(Duration.ofMinutes(2));
    admitted(quotas.tryAcquire("acme", limits));
  }

  @Test
  void theWindowSlidesAcrossTheMinuteBoundary() {
    TenantQuotas quotas = new TenantQuotas(clock, 10);
    QuotaLimits limits = new QuotaLimits(QuotaLimits.UNLIMITED, 10);
    for (int i = 0; i < 10; i++) {
      admitted(quotas.tryAcquire("acme", limits)).release();
    }
    // Half-way into the next minute half of the previous minute's starts still count: 5 of 10.
    clock.advance(Duration.ofSeconds(90));
    for (int i = 0; i < 5; i++) {
      admitted(quotas.tryAcquire("acme", limits)).release();
    }
    assertEquals("quotas.tasksPerMinute", refused(quotas.tryAcquire("acme", limits)).policy());
  }

  @Test
  void zeroAdmitsNothing() {
    TenantQuotas quotas = new TenantQuotas(clock, 10);
    assertEquals("quotas.concurrentTasks", refused(quotas.tryAcquire("acme", new QuotaLimits(0, 5))).policy());
    assertEquals("quotas.tasksPerMinute", refused(quotas.tryAcquire("acme", new QuotaLimits(5, 0))).policy());
  }

  @Test
  void tracksAtMostMaxTenantsAndForgetsOnlyIdleStaleOnes() {
    TenantQuotas quotas = new TenantQuotas(clock, 2);
    QuotaLimits limits = new QuotaLimits(10, 100);
    QuotaPermit a = admitted(quotas.tryAcquire("a", limits));
    QuotaPermit b = admitted(quotas.tryAcquire("b", limits));
    assertEquals("quotas.tenants", refused(quotas.tryAcquire("c", limits)).policy());
    a.release();
    b.release();
    // Idle but with starts in the last minute: forgetting them would reset their rate.
    assertEquals("quotas.tenants", refused(quotas.tryAcquire("c", limits)).policy());
    clock.advance(Duration.ofMinutes(2));
    admitted(quotas.tryAcquire("c", limits));
    assertTrue(quotas.trackedTenants() <= 2, "tracked " + quotas.trackedTenants());
  }

  @Test
  void concurrentCallersNeverExceedTheConcurrentQuota() throws InterruptedException {
    TenantQuotas quotas = new TenantQuotas(clock, 4);
    QuotaLimits limits = new QuotaLimits(3, QuotaLimits.UNLIMITED);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger admittedCount = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Runnable> callers = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      callers.add(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < 2000; i++) {
          if (quotas.tryAcquire("acme", limits) instanceof QuotaAdmission.Admitted ok) {
            admittedCount.incrementAndGet();
            maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            inFlight.decrementAndGet();
            ok.permit().release();
          }
        }
      });
    }
    callers.forEach(pool::execute);
    go.countDown();
    pool.shutdown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "callers did not finish within 30 s");
    assertTrue(maxSeen.get() <= 3, "at most 3 in flight expected, saw " + maxSeen.get());
    assertTrue(admittedCount.get() > 0, "some calls should have been admitted");
    assertEquals(0, quotas.running("acme"));
  }

  private static QuotaPermit admitted(QuotaAdmission a) {
    return assertInstanceOf(QuotaAdmission.Admitted.class, a, () -> "expected admission, got " + a).permit();
  }

  private static PolicyDecision.Denied refused(QuotaAdmission a) {
    return assertInstanceOf(QuotaAdmission.Refused.class, a, () -> "expected refusal, got " + a).denied();
  }
}

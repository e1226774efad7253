package dev.quartet.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Quartet: CONFIDENTIAL inline puts at twice the rate the data plane accepts. The warm-up measures
 * that 1× rate with the put scenario's closed loop; the measured window then offers puts at 2× that
 * rate on a fixed schedule, whatever the answers (open loop), with at most
 * {@code maxOverloadRequests} in flight. Counted: puts accepted (201) in the window, 429s, 503s, and
 * offers the bench shed itself at its in-flight bound. Afterwards every accepted payload is looked
 * up again: one the plane accepted and cannot answer for is {@code lost}. Compared with the same
 * size's closed-loop put scenario (the 1× run).
 */
final class DataOverloadScenario implements BenchScenario {
  private static final String CLASSIFICATION = "CONFIDENTIAL";
  private static final Duration MIN_CALIBRATION = Duration.ofSeconds(1);
  private final int size;
  private final PlaneBenchSettings planes;

  DataOverloadScenario(int size, PlaneBenchSettings planes) {
    this.size = size;
    this.planes = planes;
  }

  @Override
  public String name() {
    return "data-put-overload-" + BenchSettings.sizeLabel(size);
  }

  @Override
  public String description() {
    return "PUT /v1/payloads " + CLASSIFICATION + ", " + size + " B, offered open-loop at 2 x the rate a closed loop of "
        + planes.httpClients() + " clients gets accepted (measured in the warm-up), <= " + planes.maxOverloadRequests()
        + " in flight; accepted payloads/s, 429s, lost";
  }

  @Override
  public Kind kind() {
    return Kind.QUARTET;
  }

  @Override
  public Optional<String> baseline() {
    return Optional.of(DataPutScenario.inline(size, planes).name());
  }

  @Override
  public Optional<String> goal() {
    return Optional.of("data.overload");
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws InterruptedException {
    BenchSettings s = ctx.settings();
    StackClient client = QuartetStack.of(ctx, planes).client();
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    StackClient.Upload upload = StackClient.Upload.of(body);
    Duration calibration = s.warmup().compareTo(MIN_CALIBRATION) < 0 ? MIN_CALIBRATION : s.warmup();
    ConcurrentLoad.Result once = ConcurrentLoad.run(planes.httpClients(), c -> client.putPayload(upload, CLASSIFICATION).accepted()
            ? ConcurrentLoad.Outcome.ACCEPTED : ConcurrentLoad.Outcome.REFUSED,
        Duration.ZERO, calibration, DataPutScenario.REFUSED_PAUSE, s.operationTimeout(), () -> { }, () -> { });
    double offeredPerSecond = 2 * Math.max(once.acceptedPerSecond(), 1);
    Offers offers = new Offers(planes.maxOverloadRequests());
    ctx.startMeasuring();
    long start = System.nanoTime();
    long end = start + s.duration().toNanos();
    long offered = 0;
    for (long now = start; now < end; now = System.nanoTime()) {
      long due = start + (long) (offered * 1e9 / offeredPerSecond);
      if (now < due) {
        LockSupport.parkNanos(Math.min(due, end) - now);
        continue;
      }
      offered++;
      offers.offer(client, upload, end);
    }
    ctx.stopMeasuring();
    if (!offers.inFlight.tryAcquire(planes.maxOverloadRequests(), s.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("overload puts still in flight " + s.operationTimeout() + " after the window closed");
    }
    if (offers.failure.get() != null) {
      throw new IllegalStateException("an overload put failed: " + offers.failure.get().getMessage(), offers.failure.get());
    }
    long accepted = offers.acceptedInWindow.get();
    if (accepted < 1) {
      throw new IllegalStateException("no " + size + " B put was accepted under 2 x overload in " + s.duration());
    }
    long lost = offers.accepted.stream().filter(ref -> !client.payloadExists(ref)).count();
    double seconds = s.duration().toNanos() / 1e9;
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("recordsPerSec", accepted / seconds);
    metrics.put("megabytesPerSec", accepted * (double) size / seconds / 1e6);
    metrics.put("records", (double) accepted);
    metrics.put("seconds", seconds);
    metrics.put("valueBytes", (double) size);
    metrics.put("oneTimesPerSec", once.acceptedPerSecond());
    metrics.put("offeredPerSec", offered / seconds);
    metrics.put("refused429", (double) offers.refused.get());
    metrics.put("unavailable503", (double) offers.unavailable.get());
    metrics.put("shedByBench", (double) offers.shed.get());
    metrics.put("acceptedChecked", (double) offers.accepted.size());
    metrics.put("lost", (double) lost);
    metrics.put("maxInFlightRequests", (double) planes.maxOverloadRequests());
    return new ScenarioResult(Figure.recordsPerSecond(accepted / seconds), metrics);
  }

  /** The puts in flight and what became of them. */
  private static final class Offers {
    final Semaphore inFlight;
    final AtomicLong acceptedInWindow = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong unavailable = new AtomicLong();
    final AtomicLong shed = new AtomicLong();
    final ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Offers(int maxInFlight) {
      inFlight = new Semaphore(maxInFlight);
    }

    void offer(StackClient client, StackClient.Upload upload, long windowEnd) {
      if (!inFlight.tryAcquire()) {
        shed.incrementAndGet();
        return;
      }
      java.util.concurrent.CompletableFuture<StackClient.PutOutcome> put;
      try {
        put = client.putPayloadAsync(upload, CLASSIFICATION);
      } catch (RuntimeException e) {
        inFlight.release();
        failure.compareAndSet(null, e);
        return;
      }
      put.whenComplete((o, error) -> {
        try {
          if (error != null) {
            failure.compareAndSet(null, error);
          } else if (o.accepted()) {
            // Accepted after the window too: not counted in the figure, but it must not be lost either.
            accepted.add(o.stored().ref());
            if (System.nanoTime() < windowEnd) {
              acceptedInWindow.incrementAndGet();
            }
          } else if (o.status() == 429) {
            refused.incrementAndGet();
          } else if (o.status() == 503) {
            unavailable.incrementAndGet();
          } else {
            failure.compareAndSet(null, new IllegalStateException("the data plane answered HTTP " + o.status()));
          }
        } finally {
          inFlight.release();
        }
      });
    }
  }
}

package dev.quartet.contracts.evidence;

import dev.quartet.schemas.EvidenceEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Delivers the openings of emitted redacted events to an {@link OpeningDeposit}, off the caller's
 * thread. Openings wait in memory only (never on disk, in a log or on a topic), at most
 * {@code maxPendingEvents} events' worth, and are tried at most {@code maxAttempts} times with
 * capped exponential backoff. Openings that cannot be delivered — queue full, attempts used up, a
 * refusal that will not pass, shut down first — are dropped and the loss is itself evidence: an
 * {@value #OPENINGS_LOST} event naming the event and attributes, never values. The event keeps its
 * commitments either way. A crash loses pending openings without that event.
 */
public final class OpeningCourier implements AutoCloseable {
  /** Evidence type stating that the openings of an event's redacted attributes will never be deposited. */
  public static final String OPENINGS_LOST = "evidence.redaction.openings-lost";
  private static final Logger log = LoggerFactory.getLogger(OpeningCourier.class);

  private final OpeningDeposit deposit;
  private final OpeningDeliverySettings settings;
  private final Function<EvidenceEvent, CompletableFuture<?>> lossRecorder;
  private final Clock clock;
  private final ScheduledExecutorService worker;
  private final Object lock = new Object();
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private long delivered;
  private long lost;
  private boolean closed;

  private record Pending(RedactedEvent redacted, int attempts) {}

  /**
   * A courier depositing through {@code deposit}; losses are emitted through {@code lossRecorder}
   * (best effort: written, or buffered behind a gap) and stamped with {@code clock}'s time.
   */
  public OpeningCourier(OpeningDeposit deposit, OpeningDeliverySettings settings,
                        Function<EvidenceEvent, CompletableFuture<?>> lossRecorder, Clock clock) {
    this.deposit = deposit;
    this.settings = settings;
    this.lossRecorder = lossRecorder;
    this.clock = clock;
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "evidence-openings");
      t.setDaemon(true);
      return t;
    });
  }

  /** Takes the openings of an event that was written (or buffered) and deposits them soon; never blocks. */
  public void deliver(RedactedEvent redacted) {
    String id = redacted.event().getId();
    String refused = null;
    synchronized (lock) {
      if (closed) {
        refused = "openings handed over after shutdown";
      } else if (pending.size() >= settings.maxPendingEvents()) {
        refused = "pending openings full (" + settings.maxPendingEvents() + " events)";
      } else {
        pending.put(id, new Pending(redacted, 0));
      }
    }
    if (refused != null) {
      recordLoss(redacted, refused, 0);  // outside the lock: recording takes the evidence client's locks
      return;
    }
    schedule(id, Duration.ZERO);
  }

  /** Events whose openings wait for delivery now. */
  public int pendingEvents() {
    synchronized (lock) {
      return pending.size();
    }
  }

  /** Events whose openings were deposited since start. */
  public long deliveredEvents() {
    synchronized (lock) {
      return delivered;
    }
  }

  /** Events whose openings were reported lost since start. */
  public long lostEvents() {
    synchronized (lock) {
      return lost;
    }
  }

  /** Stops delivering; openings still pending are reported lost (the process is going away with them). */
  @Override
  public void close() {
    List<Pending> left;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      left = new ArrayList<>(pending.values());
      pending.clear();
    }
    worker.shutdownNow();
    for (Pending p : left) {
      recordLoss(p.redacted(), "shut down before delivery", p.attempts());
    }
  }

  private void schedule(String id, Duration delay) {
    try {
      worker.schedule(() -> attempt(id), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // close() took the pending openings and reports them itself.
      log.debug("Openings of evidence {} not scheduled: courier closing", id);
    }
  }

  private void attempt(String id) {
    Pending p;
    synchronized (lock) {
      p = pending.get(id);
      if (p == null || closed) {
        return;
      }
    }
    int attempt = p.attempts() + 1;
    try {
      deposit.deposit(id, p.redacted().openings());
      synchronized (lock) {
        if (pending.remove(id) != null) {
          delivered++;
        }
      }
      log.info("Deposited the openings of {} of evidence {} (attempt {})", names(p.redacted()), id, attempt);
    } catch (OpeningDepositException e) {
      Optional<Duration> retry = e.retryable() ? settings.retryDelayAfter(attempt) : Optional.empty();
      if (retry.isPresent()) {
        synchronized (lock) {
          if (pending.replace(id, new Pending(p.redacted(), attempt)) == null) {
            return;  // taken by close()
          }
        }
        log.debug("Openings of evidence {} not deposited (attempt {}): {}; retry in {}", id, attempt, e.getMessage(), retry.get());
        schedule(id, retry.get());
        return;
      }
      synchronized (lock) {
        if (pending.remove(id) == null) {
          return;
        }
      }
      recordLoss(p.redacted(), e.getMessage(), attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();  // only close() interrupts, and it reports what is pending
    } catch (RuntimeException e) {
      synchronized (lock) {
        if (pending.remove(id) == null) {
          return;
        }
      }
      recordLoss(p.redacted(), "deposit failed (" + e.getClass().getSimpleName() + ")", attempt);
    }
  }

  private void recordLoss(RedactedEvent redacted, String reason, int attempts) {
    synchronized (lock) {
      lost++;
    }
    EvidenceEvent event = lossEvent(redacted.event(), names(redacted), reason, attempts, clock);
    log.warn("Openings of {} of evidence {} lost after {} attempts: {} (recorded as {} {})", names(redacted),
        redacted.event().getId(), attempts, reason, OPENINGS_LOST, event.getId());
    try {
      lossRecorder.apply(event).whenComplete((ok, error) -> {
        if (error != null) {
          log.error("Loss of the openings of evidence {} could not be recorded either: {}", redacted.event().getId(),
              error.getClass().getSimpleName());
        }
      });
    } catch (RuntimeException e) {
      log.error("Loss of the openings of evidence {} could not be recorded either: {}", redacted.event().getId(),
          e.getClass().getSimpleName());
    }
  }

  /** The {@value #OPENINGS_LOST} event about {@code committed}: same tenant, correlation and producer; no values. */
  static EvidenceEvent lossEvent(EvidenceEvent committed, String attributes, String reason, int attempts, Clock clock) {
    Map<String, String> facts = new HashMap<>();
    facts.put("eventId", committed.getId());
    facts.put("eventType", committed.getType());
    facts.put("attributes", attributes);
    facts.put("reason", reason);
    facts.put("attempts", Integer.toString(attempts));
    return EvidenceEvent.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setType(OPENINGS_LOST)
        .setTenant(committed.getTenant())
        .setCorrelationId(committed.getCorrelationId())
        .setExecutionId(committed.getExecutionId())
        .setApprovals(List.of())
        .setArtifactDigests(Map.of())
        .setOutcome("lost")
        .setOccurredAt(clock.instant())
        .setProducerPlane(committed.getProducerPlane())
        .setProducerVersion(committed.getProducerVersion())
        .setAttributes(facts)
        .build();
  }

  private static String names(RedactedEvent redacted) {
    return String.join(",", redacted.openings().stream().map(Redaction.Opening::attribute).toList());
  }
}

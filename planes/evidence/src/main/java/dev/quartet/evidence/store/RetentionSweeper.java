package dev.quartet.evidence.store;

import dev.quartet.evidence.config.RetentionSettings;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes evidence bodies past their retention (SPEC "Evidence"): every sweep interval, at most
 * max-per-sweep index rows (with their redaction openings) of events that occurred more than
 * retention.body ago. Leaf hashes, tree state and checkpoints are the log itself and are never
 * swept, so proofs of every remaining event still verify against every checkpoint, old ones too.
 */
@Context
public class RetentionSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);
  private final EvidenceIndexStore index;
  private final RetentionSettings settings;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "evidence-retention");
    t.setDaemon(true);
    return t;
  });

  RetentionSweeper(EvidenceIndexStore index, RetentionSettings settings) {
    this.index = index;
    this.settings = settings;
    long period = settings.sweepInterval().toMillis();
    timer.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  /** Runs one sweep now; returns how many bodies it deleted. */
  public int sweep() {
    Instant cutoff = clock.instant().minus(settings.body());
    int deleted = index.deleteOccurredBefore(cutoff, settings.maxPerSweep());
    if (deleted > 0) {
      log.info("Retention: deleted {} evidence bodies that occurred before {} (leaves and checkpoints kept)", deleted, cutoff);
    }
    return deleted;
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      // The next sweep retries; a body kept a little longer breaks nothing.
      log.warn("Retention sweep failed, retried in {}: {}", settings.sweepInterval(), e.toString());
    }
  }

  @Override
  @PreDestroy
  public void close() {
    timer.shutdownNow();
  }
}

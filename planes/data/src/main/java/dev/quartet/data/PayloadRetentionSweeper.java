package dev.quartet.data;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.data.config.PayloadSettings;
import dev.quartet.data.config.RetentionSettings;
import dev.quartet.data.domain.AppliedConfig;
import dev.quartet.data.domain.BlobKey;
import dev.quartet.data.domain.PayloadLocation;
import dev.quartet.data.domain.PayloadRetention;
import dev.quartet.data.domain.RouteBook;
import dev.quartet.data.domain.StoredPayload;
import dev.quartet.data.domain.Tenants;
import dev.quartet.data.kafka.ConfigSnapshotFollower;
import dev.quartet.data.kafka.PayloadEventLog;
import dev.quartet.data.kafka.PayloadEvidence;
import dev.quartet.data.store.BlobStore;
import dev.quartet.data.store.PayloadIndex;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Retires payloads past the applied config's {@code retention.payloads} (issue #6 item 11): every
 * interval, per followed scope, at most max-batches batches of the oldest live payloads stored before
 * the cutoff. Each batch is one index transaction that commits only once every retired payload's
 * {@code payload.retention-deleted} evidence is written; then the blobs no live payload references
 * any more are removed (a blob shared by content addressing stays with its last live reference).
 * Inline payloads only lose their index row: their record goes with the payload topic's own
 * retention. Off for a scope with no applied config, an expired one, or one without
 * {@code retention.payloads}: payloads are kept rather than removed by rules not in force.
 */
@Context
public class PayloadRetentionSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PayloadRetentionSweeper.class);
  /** The principal retention evidence names: the plane itself, under the config's rule. */
  public static final String PRINCIPAL = "quartet:retention";
  private final ConfigSnapshotFollower config;
  private final PayloadIndex index;
  private final BlobStore blobs;
  private final PayloadEvidence evidence;
  private final PayloadRecorder recorder;
  private final RetentionSettings settings;
  private final Clock clock = Clock.systemUTC();
  // Config digests whose retention could not be read, so the warning is logged once per version.
  private final Set<String> unreadableWarned = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "quartet-data-retention");
    t.setDaemon(true);
    return t;
  });

  PayloadRetentionSweeper(ConfigSnapshotFollower config, PayloadIndex index, BlobStore blobs, PayloadEvidence evidence,
                          PayloadEventLog events, PayloadSettings payloads, RetentionSettings settings) {
    this.config = config;
    this.index = index;
    this.blobs = blobs;
    this.evidence = evidence;
    this.recorder = new PayloadRecorder(events, evidence, payloads.writeTimeout());
    this.settings = settings;
    long period = settings.interval().toMillis();
    timer.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  /** What one sweep did: payloads retired and blobs removed. */
  public record Sweep(int retired, int blobsRemoved) {
    Sweep plus(Sweep other) {
      return new Sweep(retired + other.retired, blobsRemoved + other.blobsRemoved);
    }
  }

  /** Runs one sweep now over every followed scope. */
  public synchronized Sweep sweep() {
    RouteBook book = config.routes();
    Sweep total = new Sweep(0, 0);
    if (!book.caughtUp()) {
      return total;  // the config in force is not known yet
    }
    for (ConfigScope scope : book.followed()) {
      AppliedConfig applied = book.applied().get(scope);
      Optional<PayloadRetention> retention = applied == null ? Optional.empty() : retentionOf(applied);
      if (retention.isPresent()) {
        total = total.plus(sweep(book, scope, applied, retention.get()));
      }
    }
    return total;
  }

  private Optional<PayloadRetention> retentionOf(AppliedConfig applied) {
    Instant now = clock.instant();
    if (applied.snapshot().isExpiredAt(now)) {
      return Optional.empty();
    }
    try {
      return PayloadRetention.of(applied.snapshot());
    } catch (IllegalArgumentException e) {
      if (unreadableWarned.add(applied.snapshot().digest())) {
        log.warn("Payload retention of config {} cannot be read, payloads are kept: {}", applied.snapshot().reference(),
            e.getMessage());
      }
      return Optional.empty();
    }
  }

  private Sweep sweep(RouteBook book, ConfigScope scope, AppliedConfig applied, PayloadRetention retention) {
    // The payloads of a scope are those whose owner follows it (RouteBook#scopeOf).
    List<String> tenants = book.scopeOf(scope.tenant()).filter(scope::equals).isPresent() ? List.of(scope.tenant()) : List.of();
    boolean withoutTenant = book.scopeOf(null).filter(scope::equals).isPresent();
    String ref = applied.snapshot().reference();
    Sweep done = new Sweep(0, 0);
    for (int batch = 0; batch < settings.maxBatches(); batch++) {
      Instant now = clock.instant();
      List<StoredPayload> candidates = index.storedUpTo(retention.cutoff(now), tenants, withoutTenant, settings.batchSize());
      if (candidates.isEmpty()) {
        break;
      }
      PayloadIndex.Retirement retirement = index.retire(candidates, ref, now, r -> recordEvidence(r, ref, retention, now));
      int removed = removeBlobs(retirement.releasedBlobs());
      done = done.plus(new Sweep(retirement.retired().size(), removed));
      if (candidates.size() < settings.batchSize()) {
        break;
      }
    }
    if (done.retired() > 0) {
      log.info("Retention: retired {} payload(s) of scope {} stored more than {} ago under {}, removed {} blob(s)",
          done.retired(), scope, retention.keep(), ref, done.blobsRemoved());
    }
    return done;
  }

  private void recordEvidence(PayloadIndex.Retirement retirement, String ref, PayloadRetention retention, Instant now) {
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (StoredPayload p : retirement.retired()) {
      boolean blobReleased = p.location() instanceof PayloadLocation.Blob b && retirement.releasedBlobs().contains(b.key());
      var ctx = new PayloadEvidence.Context(PRINCIPAL, Tenants.evidenceTenant(p.tenant()), p.id().ref());
      sent.add(evidence.retentionDeleted(p, ref, retention.keep(), blobReleased, ctx, now));
    }
    // Written before the retirement commits: a removal without its evidence never happens.
    recorder.await(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)),
        "evidence of " + sent.size() + " payload retirement(s)");
  }

  private int removeBlobs(Set<BlobKey> released) {
    int removed = 0;
    for (BlobKey key : released) {
      try {
        // Re-checked under the blob's lock: an upload of the same bytes may have referenced it since.
        boolean deleted = index.releaseBlob(key, () -> {
          try {
            return blobs.delete(key);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        if (deleted) {
          removed++;
        }
      } catch (RuntimeException e) {
        // The rows are retired already: the blob is left unreferenced (bytes kept, never served).
        log.warn("Could not remove the released blob {}: {}", key.uri(), e.toString());
      }
    }
    return removed;
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      // The next sweep retries; a payload kept a little longer breaks nothing.
      log.warn("Payload retention sweep failed, retried in {}: {}", settings.interval(), e.toString());
    }
  }

  @Override
  @PreDestroy
  public void close() {
    timer.shutdownNow();
  }
}

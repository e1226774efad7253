package dev.quartet.data;

import dev.quartet.contracts.ProblemType;
import dev.quartet.data.domain.PayloadId;
import dev.quartet.data.domain.PayloadTooLargeException;
import dev.quartet.data.domain.StoredPayload;
import dev.quartet.data.domain.Upload;
import dev.quartet.data.kafka.PayloadEventLog;
import dev.quartet.data.kafka.PayloadEvidence;
import dev.quartet.runtime.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Records what became of an upload on Kafka (payload events, evidence), each write bounded by the write timeout. */
final class PayloadRecorder {
  private static final Logger log = LoggerFactory.getLogger(PayloadRecorder.class);
  private final PayloadEventLog events;
  private final PayloadEvidence evidence;
  private final Duration timeout;

  PayloadRecorder(PayloadEventLog events, PayloadEvidence evidence, Duration timeout) {
    this.events = events;
    this.evidence = evidence;
    this.timeout = timeout;
  }

  /** Publishes {@code PayloadStored} and its evidence; fails (rolling back the index row) if either fails. */
  void recordStored(StoredPayload p, PayloadEvidence.Context ctx) {
    CompletableFuture<?> sent = CompletableFuture.allOf(events.stored(p), evidence.stored(p, ctx));
    if (p.quarantine() != null) {
      // Part of storing it: a payload is never indexed as quarantined without its event and evidence.
      sent = CompletableFuture.allOf(sent, events.quarantined(p),
          evidence.quarantined(p, p.quarantine().reason(), null, ctx, p.quarantine().quarantinedAt()));
    }
    await(sent, "events of payload " + p.id());
  }

  /**
   * Records a refusal as evidence (and as {@code PayloadRejected} when a limit was broken). The
   * caller gets the refusal either way; evidence that cannot be written is the evidence plane's
   * gap to report, as for the control plane's rejections.
   */
  void recordRejection(PayloadId id, Upload upload, String reason, PayloadTooLargeException limit,
                       PayloadEvidence.Context ctx, Instant at) {
    CompletableFuture<?> sent = evidence.rejected(id, upload.classification(), upload.route(), reason, limit, ctx, at);
    if (limit != null) {
      sent = CompletableFuture.allOf(sent, events.rejected(id, upload.route(), limit, at));
    }
    try {
      await(sent, "rejection of payload " + id);
    } catch (ProblemException e) {
      log.warn("Could not record the rejection of payload {} reason={}: {}", id, reason, e.getMessage());
    }
  }

  /**
   * Waits for evidence whose failure must not change the answer the caller gets (it already is a
   * refusal or an outage); a write that fails is the evidence plane's gap to report.
   */
  void bestEffort(CompletableFuture<?> sent, String what) {
    try {
      await(sent, what);
    } catch (ProblemException e) {
      log.warn("Could not record the {}: {}", what, e.getMessage());
    }
  }

  /** The future's value within the timeout, or 503. */
  <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProblemException(ProblemType.UNAVAILABLE, "interrupted while writing the " + what);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Kafka write failed: {} ({})", what, e.getCause() == null ? e.toString() : e.getCause().toString());
      throw new ProblemException(ProblemType.UNAVAILABLE, "cannot write the " + what + " to Kafka; it was not stored");
    }
  }
}

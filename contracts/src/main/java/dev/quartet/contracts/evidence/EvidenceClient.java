package dev.quartet.contracts.evidence;

import dev.quartet.schemas.EvidenceEvent;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes evidence events to the evidence topic, keyed by correlation id, for any process (planes
 * and Micronaut-less workers alike). {@link #emitRequired} fails when the event is not durably
 * written, so evidence-required work can fail closed; {@link #emit} never loses an event silently:
 * while the topic is not writable it goes to a bounded, AES-256-GCM encrypted local buffer, or is
 * dropped and counted when that is full. A probe retries the topic every probe interval; on
 * recovery an {@code evidence.gap} event (and an {@code EvidenceGap} record) states what was lost
 * and delayed, and only then are buffered events written, in emit order, and the buffer deleted.
 * Delivery is at least once: a write that timed out here may still land and be flushed again.
 * The producer is borrowed (acks=all expected), not closed.
 */
public final class EvidenceClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EvidenceClient.class);
  private static final String PREVIOUS_RUN = "buffer of a previous run unreadable (its key lived only in memory)";

  private final Producer<byte[], byte[]> producer;
  private final EvidenceClientSettings settings;
  private final EvidenceSource source;
  private final Clock clock;
  private final EvidenceTopicWriter topic;
  private final AtomicLong emitSeq = new AtomicLong();
  private final ScheduledExecutorService worker;
  private final Object lock = new Object();
  private final EncryptedEvidenceBuffer buffer;
  private EvidenceClientState state;
  private OutageTally tally = OutageTally.NONE;
  private OutageTally reporting = OutageTally.NONE;  // taken from tally while its gap is being written
  /** Events buffered while a recovery attempt runs: stated in its gap unless buffered after the gap was written. */
  private OutageTally delayedWhileFlushing = OutageTally.NONE;
  private long bufferedFrom = Long.MAX_VALUE;
  private long bufferedTo = Long.MIN_VALUE;
  private long droppedTotal;
  private long gapsWritten;
  private boolean closed;

  private EvidenceClient(Producer<byte[], byte[]> producer, EvidenceClientSettings settings, EvidenceSource source,
                         Clock clock) throws IOException {
    this.producer = producer;
    this.settings = settings;
    this.source = source;
    this.clock = clock;
    this.topic = new EvidenceTopicWriter(producer, settings);
    this.buffer = EncryptedEvidenceBuffer.open(settings.bufferDir(), settings.maxBufferBytes(), settings.maxBufferedEvents());
    LeftoverBuffer leftover = buffer.leftover();
    if (leftover.events() > 0) {
      tally = tally.dropped(leftover.events(), leftover.fromMillis(), leftover.toMillis(), PREVIOUS_RUN);
      log.warn("Evidence buffer of a previous run held {} events; they are reported as a gap", leftover.events());
    }
    // Even with a previous run's loss to report, start DIRECT: required evidence (PlaneStarted)
    // must not be refused just because the first probe has not run yet. The probe states the gap.
    state = EvidenceClientState.DIRECT;
    worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "evidence-client-" + source.plane().id());
      t.setDaemon(true);
      return t;
    });
    long probeMillis = settings.probeInterval().toMillis();
    worker.scheduleWithFixedDelay(this::recover, tally.isEmpty() ? probeMillis : 0, probeMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts a client; a buffer left in {@code settings.bufferDir()} by a previous run is counted as
   * lost and reported in a gap as soon as the topic is writable.
   *
   * @throws UncheckedIOException when the buffer directory cannot be prepared
   */
  public static EvidenceClient start(Producer<byte[], byte[]> producer, EvidenceClientSettings settings,
                                     EvidenceSource source, Clock clock) {
    try {
      return new EvidenceClient(producer, settings, source, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the evidence buffer in " + settings.bufferDir(), e);
    }
  }

  /**
   * Writes {@code event} directly; the future fails with {@link EvidenceUnavailableException} when
   * it was not durably written in time, or at once while the client is buffering (the topic is
   * known to be unwritable). The caller must then fail closed.
   *
   * @throws IllegalArgumentException (in the future) when the event encodes larger than the bound
   */
  public CompletableFuture<RecordMetadata> emitRequired(EvidenceEvent event) {
    byte[] value;
    try {
      value = topic.encode(event);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    synchronized (lock) {
      if (closed || state != EvidenceClientState.DIRECT) {
        return CompletableFuture.failedFuture(new EvidenceUnavailableException(
            "evidence topic not writable now (client " + (closed ? "closed" : state) + ")", null));
      }
    }
    return topic.send(settings.eventsTopic(), EvidenceTopicWriter.key(event), value).handle((at, error) -> {
      if (error == null) {
        return at;
      }
      enterBuffering(error);
      throw new EvidenceUnavailableException("evidence " + event.getId() + " not written: " + describe(error), error);
    });
  }

  /**
   * Writes {@code event} at best effort: the future says whether it was written, buffered or
   * dropped; it fails only for an event over the size bound or after {@link #close()}.
   */
  public CompletableFuture<EvidenceDelivery> emit(EvidenceEvent event) {
    byte[] value;
    try {
      value = topic.encode(event);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    BufferedEvidence record = new BufferedEvidence(emitSeq.incrementAndGet(), event.getOccurredAt().toEpochMilli(), EvidenceTopicWriter.key(event), value);
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("evidence client closed"));
      }
      if (state != EvidenceClientState.DIRECT) {
        return CompletableFuture.completedFuture(bufferLocked(record));
      }
    }
    CompletableFuture<EvidenceDelivery> delivery = new CompletableFuture<>();
    topic.send(settings.eventsTopic(), record.key(), value).whenComplete((at, error) -> {
      if (error == null) {
        delivery.complete(new EvidenceDelivery.Written(at));
        return;
      }
      try {
        // Not on the producer's I/O thread: buffering writes to disk.
        worker.execute(() -> delivery.complete(bufferAfterFailure(record, error)));
      } catch (RejectedExecutionException closing) {
        delivery.complete(dropAfterClose(record, error));
      }
    });
    return delivery;
  }

  /** State and counters, for health and metrics. */
  public EvidenceClientStatus status() {
    synchronized (lock) {
      return new EvidenceClientStatus(state, buffer.events(), buffer.bytes(), droppedTotal,
          tally.dropped() + reporting.dropped(), gapsWritten);
    }
  }

  /**
   * Stops the probe after one last recovery attempt. A buffer that could not be flushed stays on
   * disk as ciphertext; the next run in the same directory reports it as lost.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
    }
    recover();
    synchronized (lock) {
      closed = true;
      try {
        buffer.close();
      } catch (IOException e) {
        log.warn("Evidence buffer in {} not closed cleanly: {}", settings.bufferDir(), e.toString());
      }
    }
    worker.shutdownNow();
  }

  private void recover() {
    boolean pendingWhileDirect;
    synchronized (lock) {
      if (closed || state == EvidenceClientState.FLUSHING
          || (state == EvidenceClientState.DIRECT && tally.isEmpty())) {
        return;
      }
      pendingWhileDirect = state == EvidenceClientState.DIRECT;
      if (!pendingWhileDirect) {
        state = EvidenceClientState.FLUSHING;
      }
    }
    if (pendingWhileDirect) {
      try {
        producer.partitionsFor(settings.eventsTopic());
        writeGap();  // e.g. a previous run's buffer: nothing to flush, only the loss to state
      } catch (Exception e) {
        enterBuffering(e);
      }
      return;
    }
    try {
      // A metadata look-up first (bounded by the producer's max.block.ms): the gap's tally is
      // taken only once the topic answers, so losses up to that moment go into one gap.
      producer.partitionsFor(settings.eventsTopic());
      synchronized (lock) {
        // What was buffered while this recovery waited for the topic belongs to the outage its gap
        // states; only events buffered from now on (behind the flush, for order) are merely delayed.
        tally = tally.plus(delayedWhileFlushing);
        delayedWhileFlushing = OutageTally.NONE;
      }
      while (true) {
        synchronized (lock) {
          if (tally.isEmpty() && buffer.events() == 0) {
            buffer.deleteAll();
            delayedWhileFlushing = OutageTally.NONE;  // all of them flushed, in order
            state = EvidenceClientState.DIRECT;
            log.info("Evidence topic writable again; buffer flushed ({} gaps written so far)", gapsWritten);
            return;
          }
        }
        // Read (and authenticate) first: a buffer that fails is stated as lost in this very gap.
        List<BufferedEvidence> batch = readSealed();
        writeGap();
        flush(batch);
      }
    } catch (Exception e) {
      synchronized (lock) {
        state = EvidenceClientState.BUFFERING;
        tally = tally.plus(delayedWhileFlushing);
        delayedWhileFlushing = OutageTally.NONE;
      }
      log.debug("Evidence topic still not writable: {}", describe(e));
    }
  }

  /** States the current tally in a gap, if it holds anything; on failure the tally is kept for the next attempt. */
  private void writeGap() throws Exception {
    OutageTally t;
    synchronized (lock) {
      if (tally.isEmpty()) {
        return;
      }
      t = tally;
      reporting = t;
      tally = OutageTally.NONE;
    }
    String gapId;
    try {
      gapId = topic.writeGap(t, source, clock.instant());
    } catch (Exception e) {
      synchronized (lock) {
        tally = t.plus(tally);  // still to be stated, together with anything lost meanwhile
        reporting = OutageTally.NONE;
      }
      throw e;
    }
    synchronized (lock) {
      reporting = OutageTally.NONE;
      gapsWritten++;
    }
    log.info("Evidence gap recorded gapId={} lost={} buffered={} from={} to={}", gapId, t.dropped(), t.buffered(), t.from(), t.to());
  }

  private List<BufferedEvidence> readSealed() throws IOException {
    synchronized (lock) {
      try {
        return buffer.sealAndRead();
      } catch (EvidenceBufferCorruptedException e) {
        long lost = buffer.events();
        log.error("Evidence buffer in {} failed authentication; its {} events are reported lost: {}",
            settings.bufferDir(), lost, e.getMessage());
        tally = tally.lostFromBuffer(lost, bufferedFrom, bufferedTo, "evidence buffer failed authentication");
        droppedTotal += lost;
        buffer.deleteAll();
        bufferedFrom = Long.MAX_VALUE;
        bufferedTo = Long.MIN_VALUE;
        return List.of();
      }
    }
  }

  private void flush(List<BufferedEvidence> batch) throws Exception {
    List<CompletableFuture<RecordMetadata>> sends = batch.stream()
        .sorted(Comparator.comparingLong(BufferedEvidence::emitSeq))
        .map(b -> topic.send(settings.eventsTopic(), b.key(), b.value()))
        .toList();
    for (CompletableFuture<RecordMetadata> s : sends) {
      s.get();  // bounded: send() times out after the send timeout
    }
    synchronized (lock) {
      buffer.deleteSealed();
      if (buffer.events() == 0) {
        bufferedFrom = Long.MAX_VALUE;
        bufferedTo = Long.MIN_VALUE;
      }
    }
  }

  private void enterBuffering(Throwable error) {
    synchronized (lock) {
      if (state == EvidenceClientState.DIRECT && !closed) {
        state = EvidenceClientState.BUFFERING;
        log.warn("Evidence topic {} not writable ({}); best-effort evidence is buffered locally, required evidence refused",
            settings.eventsTopic(), describe(error));
      }
    }
  }

  private EvidenceDelivery bufferAfterFailure(BufferedEvidence record, Throwable error) {
    enterBuffering(error);
    synchronized (lock) {
      if (closed) {
        return dropAfterClose(record, error);
      }
      return bufferLocked(record, describe(error));
    }
  }

  private EvidenceDelivery bufferLocked(BufferedEvidence record) {
    return bufferLocked(record, "evidence topic not writable");
  }

  private EvidenceDelivery bufferLocked(BufferedEvidence record, String why) {
    boolean stored;
    try {
      stored = buffer.append(record);
    } catch (IOException e) {
      log.warn("Evidence buffer in {} not writable: {}", settings.bufferDir(), e.toString());
      stored = false;
    }
    long at = record.occurredAtMillis();
    if (!stored) {
      if (tally.dropped() == 0) {
        log.warn("Evidence buffer full ({} events, {} bytes): dropping and counting evidence", buffer.events(), buffer.bytes());
      }
      droppedTotal++;
      tally = tally.dropped(1, at, at, why);
      return new EvidenceDelivery.Dropped();
    }
    bufferedFrom = Math.min(bufferedFrom, at);
    bufferedTo = Math.max(bufferedTo, at);
    if (state == EvidenceClientState.BUFFERING) {
      tally = tally.buffered(at, why);
    } else {
      // While flushing, newer events queue behind the flush for order: delayed, not lost — unless
      // this recovery attempt fails, and then they belong to the outage's gap (see recover()).
      delayedWhileFlushing = delayedWhileFlushing.buffered(at, why);
    }
    return new EvidenceDelivery.Buffered();
  }

  private EvidenceDelivery dropAfterClose(BufferedEvidence record, Throwable error) {
    log.warn("Evidence not written and client closed: {}", describe(error));
    synchronized (lock) {
      droppedTotal++;
    }
    return new EvidenceDelivery.Dropped();
  }

  private static String describe(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    // The class names the failure (NotEnoughReplicasException, TimeoutException); messages may carry hosts.
    return "evidence topic not writable (" + cause.getClass().getSimpleName() + ")";
  }
}

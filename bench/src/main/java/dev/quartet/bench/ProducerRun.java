package dev.quartet.bench;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends records as fast as a producer accepts them (its buffer is the back-pressure) for warm-up
 * plus duration, and counts the records the broker acknowledged inside the measured window.
 */
public final class ProducerRun {
  private ProducerRun() {}

  /**
   * What the broker acknowledged in the measured window, and in the whole run once flushed.
   *
   * @param totalAcknowledged every record acknowledged, warm-up and the final flush included
   */
  public record Throughput(long records, long bytes, double seconds, long totalAcknowledged) {
    /** Acknowledged records per second in the window. */
    public double recordsPerSecond() {
      return records / seconds;
    }

    /** Acknowledged value bytes per second in the window, in MB (10^6 bytes). */
    public double megabytesPerSecond() {
      return bytes / seconds / 1e6;
    }
  }

  /**
   * Runs the send loop. {@code windowOpened} and {@code windowClosed} are called as the measured
   * window opens and closes (e.g. {@link BenchContext#startMeasuring()}).
   *
   * @throws IllegalStateException when the broker refused a record, or nothing was acknowledged in the window
   */
  public static Throughput run(Producer<byte[], byte[]> producer, RecordSource source, String topic, Duration warmup,
                               Duration duration, Runnable windowOpened, Runnable windowClosed) {
    AtomicLong acked = new AtomicLong();
    AtomicLong ackedBytes = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long start = System.nanoTime();
    long windowStart = start + warmup.toNanos();
    long end = windowStart + duration.toNanos();
    boolean measuring = false;
    long startRecords = 0;
    long startBytes = 0;
    long openedAt = 0;
    long i = 0;
    for (long now = start; now < end; now = System.nanoTime()) {
      if (!measuring && now >= windowStart) {
        measuring = true;
        windowOpened.run();
        openedAt = System.nanoTime();
        startRecords = acked.get();
        startBytes = ackedBytes.get();
      }
      if (failure.get() != null) {
        throw new IllegalStateException("the broker refused a record on " + topic + ": " + failure.get(), failure.get());
      }
      ProducerRecord<byte[], byte[]> record = source.next(topic, i++);
      int size = record.value() == null ? 0 : record.value().length;
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        } else {
          ackedBytes.addAndGet(size);
          acked.incrementAndGet();
        }
      });
    }
    long records = acked.get() - startRecords;
    long bytes = ackedBytes.get() - startBytes;
    double seconds = (System.nanoTime() - openedAt) / 1e9;
    windowClosed.run();
    // Bounded by the producer's delivery.timeout.ms.
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("the broker refused a record on " + topic + ": " + failure.get(), failure.get());
    }
    if (records < 1) {
      throw new IllegalStateException("no record to " + topic + " was acknowledged in the measured window");
    }
    return new Throughput(records, bytes, seconds, acked.get());
  }
}

package dev.quartet.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one {@code quartet bench} run measures: warm-up and measured time per scenario, the record
 * size of single-size scenarios (and of the producer baseline Quartet scenarios are compared
 * with), the commit interval of transactional loops, and the longest wait for any one broker
 * operation.
 */
public record BenchSettings(Duration warmup, Duration duration, int recordSize, Duration commitInterval,
                            Duration operationTimeout) {
  /** Record sizes the raw producer is always measured at (bytes of value). */
  public static final List<Integer> PRODUCER_SIZES = List.of(256, 512, 1024, 64 * 1024);
  /** Smallest record size: the latency scenario stamps an 8-byte sequence number into each value. */
  public static final int MIN_RECORD_SIZE = 16;
  /** Largest record size: below Kafka's default 1 MiB request and message limits with room for headers. */
  public static final int MAX_RECORD_SIZE = 1_000_000;

  /** Defaults: 10 s warm-up (the goals ask for at least that much JIT warm-up), 10 s measured, 1 KiB records, 100 ms commits. */
  public static BenchSettings defaults() {
    return new BenchSettings(Duration.ofSeconds(10), Duration.ofSeconds(10), 1024, Duration.ofMillis(100),
        Duration.ofSeconds(30));
  }

  public BenchSettings {
    Objects.requireNonNull(warmup, "BenchSettings: warmup");
    Objects.requireNonNull(duration, "BenchSettings: duration");
    Objects.requireNonNull(commitInterval, "BenchSettings: commitInterval");
    Objects.requireNonNull(operationTimeout, "BenchSettings: operationTimeout");
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("--warmup must not be negative, was " + warmup);
    }
    if (duration.toMillis() < 100) {
      throw new IllegalArgumentException("--duration must be at least 100 ms, was " + duration);
    }
    if (recordSize < MIN_RECORD_SIZE || recordSize > MAX_RECORD_SIZE) {
      throw new IllegalArgumentException("--record-size must be " + MIN_RECORD_SIZE + ".." + MAX_RECORD_SIZE
          + " bytes, was " + recordSize);
    }
    if (commitInterval.toMillis() < 1) {
      throw new IllegalArgumentException("--commit-interval must be at least 1 ms, was " + commitInterval);
    }
    if (operationTimeout.toMillis() < 1000) {
      throw new IllegalArgumentException("operation timeout must be at least 1 s, was " + operationTimeout);
    }
  }

  /** {@link #PRODUCER_SIZES}, plus {@link #recordSize()} when it is not one of them. */
  public List<Integer> producerSizes() {
    List<Integer> sizes = new ArrayList<>(PRODUCER_SIZES);
    if (!sizes.contains(recordSize)) {
      sizes.add(recordSize);
    }
    return List.copyOf(sizes);
  }

  /** {@code 256B}, {@code 1KiB}, {@code 64KiB}, {@code 1MiB}: whole MiB or KiB where exact, else bytes. */
  public static String sizeLabel(int bytes) {
    if (bytes % (1024 * 1024) == 0) {
      return (bytes / (1024 * 1024)) + "MiB";
    }
    return bytes % 1024 == 0 ? (bytes / 1024) + "KiB" : bytes + "B";
  }
}

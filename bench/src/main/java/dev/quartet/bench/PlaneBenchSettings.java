package dev.quartet.bench;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the plane scenarios (task pipeline, data put) load the planes: concurrent HTTP clients, the
 * most tasks submitted but not yet ended, the payload sizes of the inline and blob put scenarios,
 * and the longest wait for the planes (PostgreSQL, Micronaut, the worker's first config) to start.
 * Read from {@code quartet.bench.*} system properties (e.g. {@code QUARTET_JAVA_OPTS=-Dquartet.bench.http-clients=8}),
 * with the defaults below.
 *
 * @param httpClients         concurrent HTTP clients of the put scenarios and task submitters; the raw fsync'd
 *                            file baseline writes with as many threads, so both sides get the same parallelism
 * @param maxOutstandingTasks tasks submitted and not yet ended at most: the pipeline runs at its own pace instead of
 *                            queueing without bound, so the window measures throughput, not a backlog
 * @param inlineSizes         payload sizes of the CONFIDENTIAL inline put scenarios (at most the 256 KiB inline threshold)
 * @param blobSize            payload size of the blob put scenario (above the inline threshold)
 * @param startupTimeout      longest wait for the planes and the worker's first applied config
 * @param maxOverloadRequests puts the overload scenario keeps in flight at most; an offer beyond it is shed by the
 *                            bench itself (and counted), so the bench's own memory stays bounded
 */
public record PlaneBenchSettings(int httpClients, int maxOutstandingTasks, List<Integer> inlineSizes, int blobSize,
                                 Duration startupTimeout, int maxOverloadRequests) {
  /** The data plane's inline threshold: payloads up to this ride in a Kafka record, larger ones go to the blob store. */
  public static final int INLINE_THRESHOLD = 256 * 1024;
  /** Largest blob put: below the data plane's 10 MiB input limit. */
  public static final int MAX_BLOB_SIZE = 10 * 1024 * 1024 - 1;
  /** Prefix of the system properties read by {@link #from(Map)}. */
  public static final String PREFIX = "quartet.bench.";

  public PlaneBenchSettings {
    Objects.requireNonNull(startupTimeout, "PlaneBenchSettings: startupTimeout");
    inlineSizes = List.copyOf(inlineSizes);
    if (httpClients < 1 || httpClients > 256) {
      throw new IllegalArgumentException(PREFIX + "http-clients must be 1..256, was " + httpClients);
    }
    if (maxOutstandingTasks < 1 || maxOutstandingTasks > 100_000) {
      throw new IllegalArgumentException(PREFIX + "max-outstanding-tasks must be 1..100000, was " + maxOutstandingTasks);
    }
    if (inlineSizes.isEmpty()) {
      throw new IllegalArgumentException(PREFIX + "inline-sizes names at least one size");
    }
    for (int size : inlineSizes) {
      if (size < 1 || size > INLINE_THRESHOLD) {
        throw new IllegalArgumentException(PREFIX + "inline-sizes must each be 1.." + INLINE_THRESHOLD + " bytes, was " + size);
      }
    }
    if (blobSize <= INLINE_THRESHOLD || blobSize > MAX_BLOB_SIZE) {
      throw new IllegalArgumentException(PREFIX + "blob-size must be " + (INLINE_THRESHOLD + 1) + ".." + MAX_BLOB_SIZE
          + " bytes, was " + blobSize);
    }
    if (maxOverloadRequests < 1 || maxOverloadRequests > 10_000) {
      throw new IllegalArgumentException(PREFIX + "max-overload-requests must be 1..10000, was " + maxOverloadRequests);
    }
    if (startupTimeout.toMillis() < 1000) {
      throw new IllegalArgumentException(PREFIX + "startup-timeout must be at least 1 s, was " + startupTimeout);
    }
  }

  /**
   * Defaults: 4 clients, 32 outstanding tasks, inline 1, 64 and 256 KiB (PERF-GOALS' sizes), blob 1 MiB, 120 s
   * start-up, 512 overload puts in flight (at 256 KiB twice the data plane's 64 MiB in-flight budget, so its 429s,
   * not the bench, bound the load).
   */
  public static PlaneBenchSettings defaults() {
    return new PlaneBenchSettings(4, 32, List.of(1024, 64 * 1024, 256 * 1024), 1024 * 1024, Duration.ofSeconds(120), 512);
  }

  /** The settings of this JVM's {@code quartet.bench.*} system properties. */
  public static PlaneBenchSettings fromSystemProperties() {
    Map<String, String> props = new java.util.HashMap<>();
    System.getProperties().stringPropertyNames().forEach(n -> props.put(n, System.getProperty(n)));
    return from(props);
  }

  /**
   * Reads {@code quartet.bench.http-clients}, {@code max-outstanding-tasks}, {@code inline-sizes}
   * (comma-separated, each {@code 1024}, {@code 64KiB} or {@code 1MiB}), {@code blob-size},
   * {@code startup-timeout} ({@code 90s}, {@code 2m} or ISO-8601) and {@code max-overload-requests};
   * missing ones keep their default.
   *
   * @throws IllegalArgumentException naming the property that is malformed or out of range
   */
  public static PlaneBenchSettings from(Map<String, String> properties) {
    PlaneBenchSettings d = defaults();
    int clients = integer(properties, "http-clients", d.httpClients());
    int outstanding = integer(properties, "max-outstanding-tasks", d.maxOutstandingTasks());
    List<Integer> inline = d.inlineSizes();
    String sizes = properties.get(PREFIX + "inline-sizes");
    if (sizes != null) {
      List<Integer> parsed = new ArrayList<>();
      for (String s : sizes.split(",")) {
        parsed.add(size("inline-sizes", s));
      }
      inline = parsed;
    }
    String blob = properties.get(PREFIX + "blob-size");
    int blobSize = blob == null ? d.blobSize() : size("blob-size", blob);
    String startup = properties.get(PREFIX + "startup-timeout");
    Duration startupTimeout = startup == null ? d.startupTimeout() : duration("startup-timeout", startup);
    int overload = integer(properties, "max-overload-requests", d.maxOverloadRequests());
    return new PlaneBenchSettings(clients, outstanding, inline, blobSize, startupTimeout, overload);
  }

  private static int integer(Map<String, String> properties, String name, int fallback) {
    String v = properties.get(PREFIX + name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PREFIX + name + " must be a whole number, was '" + v + "'", e);
    }
  }

  /** {@code 1024}, {@code 64KiB}, {@code 1MiB}. */
  static int size(String name, String text) {
    String t = text.trim();
    long factor = 1;
    String digits = t;
    if (t.endsWith("KiB")) {
      factor = 1024;
      digits = t.substring(0, t.length() - 3);
    } else if (t.endsWith("MiB")) {
      factor = 1024 * 1024;
      digits = t.substring(0, t.length() - 3);
    } else if (t.endsWith("B")) {
      digits = t.substring(0, t.length() - 1);
    }
    try {
      long bytes = Long.parseLong(digits.trim()) * factor;
      if (bytes < 1 || bytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(PREFIX + name + ": " + text + " is out of range");
      }
      return (int) bytes;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PREFIX + name + " must be sizes like 1024, 64KiB or 1MiB, was '" + text + "'", e);
    }
  }

  private static Duration duration(String name, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(PREFIX + name + " must be like 90s, 2m or PT2M, was '" + text + "'", e);
    }
    throw new IllegalArgumentException(PREFIX + name + " must be like 90s, 2m or PT2M, was '" + text + "'");
  }
}

package dev.quartet.execution.domain;

import dev.quartet.contracts.ConfigScope;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Who a worker is: its id, the queue it serves and its labels (for routing tasks and rollout
 * cohorts). Bounded: at most {@link #MAX_LABELS} labels of short, printable names and values.
 */
public record WorkerIdentity(String id, WorkerQueue queue, Map<String, String> labels) {
  /** Most labels a worker may carry. */
  public static final int MAX_LABELS = 32;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9._-]{0,63}");

  /** @throws IllegalArgumentException if the id, queue or a label is malformed, or there are too many labels */
  public WorkerIdentity {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("worker id must match " + ID + ", was " + id);
    }
    if (queue == null) {
      throw new IllegalArgumentException("worker queue is required");
    }
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels == null ? Map.of() : labels));
    if (labels.size() > MAX_LABELS) {
      throw new IllegalArgumentException("at most " + MAX_LABELS + " labels, were " + labels.size());
    }
    labels.forEach((k, v) -> {
      if (!LABEL_KEY.matcher(k).matches() || v == null || !LABEL_VALUE.matcher(v).matches()) {
        throw new IllegalArgumentException("label " + k + " must be key=value with key matching " + LABEL_KEY
            + " and value matching " + LABEL_VALUE);
      }
    });
  }

  /** The config scope the worker follows: its queue's {@code tenant/environment}. */
  public ConfigScope scope() {
    return queue.scope();
  }

  /**
   * Parses {@code k=v,k2=v2} (empty or null: no labels).
   *
   * @throws IllegalArgumentException if an entry is not {@code key=value} or a key repeats
   */
  public static Map<String, String> parseLabels(String text) {
    Map<String, String> labels = new TreeMap<>();
    if (text == null || text.isBlank()) {
      return labels;
    }
    for (String entry : text.split(",", MAX_LABELS + 2)) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("labels must be key=value pairs separated by commas");
      }
      String key = entry.substring(0, eq).trim();
      if (labels.put(key, entry.substring(eq + 1).trim()) != null) {
        throw new IllegalArgumentException("label " + key + " is given twice");
      }
    }
    return labels;
  }
}

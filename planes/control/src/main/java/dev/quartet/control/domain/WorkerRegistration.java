package dev.quartet.control.domain;

import dev.quartet.contracts.ConfigScope;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A worker's registration as read from Kafka, checked before it is stored: the topic is written by
 * workers, so its content is bounded here rather than trusted.
 */
public record WorkerRegistration(String id, String queue, SortedMap<String, String> labels, int capacity, Instant registeredAt) {
  /** A worker id, as workers themselves require it. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  /** Longest label key or value kept. */
  public static final int MAX_LABEL_CHARS = 63;

  /** @throws IllegalArgumentException when the id, queue, labels or capacity are malformed */
  public WorkerRegistration {
    requireWorkerId(id);
    requireQueue(queue);
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels == null ? Map.of() : labels));
    labels.forEach((k, v) -> {
      if (k.isEmpty() || k.length() > MAX_LABEL_CHARS || v == null || v.length() > MAX_LABEL_CHARS) {
        throw new IllegalArgumentException("label keys and values must be 1 to " + MAX_LABEL_CHARS + " characters");
      }
    });
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
    }
    if (registeredAt == null) {
      throw new IllegalArgumentException("registeredAt is required");
    }
  }

  /** A registration with at most {@code maxLabels} labels. @throws IllegalArgumentException when it has more */
  public WorkerRegistration requireAtMost(int maxLabels) {
    if (labels.size() > maxLabels) {
      throw new IllegalArgumentException("at most " + maxLabels + " labels, were " + labels.size());
    }
    return this;
  }

  /** @throws IllegalArgumentException unless {@code id} is a worker id */
  public static String requireWorkerId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("worker id must match " + ID);
    }
    return id;
  }

  /** @throws IllegalArgumentException unless {@code queue} is tenant/environment/queue */
  public static String requireQueue(String queue) {
    String[] parts = queue == null ? new String[0] : queue.split("/", -1);
    if (parts.length != 3 || !ConfigScope.NAME.matcher(parts[2]).matches()) {
      throw new IllegalArgumentException("queue must be tenant/environment/queue, was " + queue);
    }
    new ConfigScope(parts[0], parts[1]);
    return queue;
  }
}

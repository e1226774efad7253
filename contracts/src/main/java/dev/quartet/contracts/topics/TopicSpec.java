package dev.quartet.contracts.topics;

import dev.quartet.contracts.Plane;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings one Quartet topic must have, and which planes write and read it.
 *
 * <p>Invariants: the name is {@code quartet.<area>[.<what>]} in lowercase; at least one
 * partition and one replica; {@code 1 <= minInsyncReplicas <= replicationFactor}; cleanup policy
 * is {@code delete}, {@code compact} or {@code compact,delete}; a compact-only topic has no
 * retention; at least one writer. {@code retention} is {@code null} for "keep forever" (a
 * negative duration is accepted and normalised to {@code null}). Readers may be empty: then only
 * operators read the topic.
 *
 * @param writers every plane that produces to the topic (evidence and dead letters take all)
 */
public record TopicSpec(String name, int partitions, short replicationFactor, String cleanupPolicy,
                        Duration retention, int minInsyncReplicas, String purpose,
                        Set<Plane> writers, Set<Plane> readers) {
  /** Kafka's {@code cleanup.policy} value for time- or size-bounded topics. */
  public static final String DELETE = "delete";
  /** Kafka's {@code cleanup.policy} value for keep-latest-per-key topics. */
  public static final String COMPACT = "compact";
  /** Both: the latest value per key, and nothing older than the retention. */
  public static final String COMPACT_DELETE = "compact,delete";

  // Kafka's own limit is 249 characters of [a-zA-Z0-9._-]; ours is stricter so names read alike.
  private static final String NAME_PATTERN = "quartet(\\.[a-z0-9]+(-[a-z0-9]+)*)+";
  private static final int MAX_NAME_LENGTH = 249;

  public TopicSpec {
    Objects.requireNonNull(name, "TopicSpec: name");
    if (name.length() > MAX_NAME_LENGTH || !name.matches(NAME_PATTERN)) {
      throw new IllegalArgumentException("TopicSpec: name '" + name + "' must match " + NAME_PATTERN);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("TopicSpec " + name + ": partitions must be >= 1, was " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("TopicSpec " + name + ": replication factor must be >= 1, was " + replicationFactor);
    }
    if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
      throw new IllegalArgumentException("TopicSpec " + name + ": min.insync.replicas must be in 1.."
          + replicationFactor + ", was " + minInsyncReplicas);
    }
    if (!DELETE.equals(cleanupPolicy) && !COMPACT.equals(cleanupPolicy) && !COMPACT_DELETE.equals(cleanupPolicy)) {
      throw new IllegalArgumentException("TopicSpec " + name + ": cleanup policy must be delete, compact or compact,delete, was "
          + cleanupPolicy);
    }
    if (retention != null && retention.isNegative()) {
      retention = null;
    }
    if (retention != null && retention.toMillis() < 1) {
      throw new IllegalArgumentException("TopicSpec " + name + ": retention must be at least 1 ms, or null to keep forever");
    }
    if (COMPACT.equals(cleanupPolicy) && retention != null) {
      // Kafka ignores retention.ms on compact-only topics; a value here would mislead readers.
      throw new IllegalArgumentException("TopicSpec " + name + ": a compact topic keeps the latest value per key; give no retention");
    }
    if (purpose == null || purpose.isBlank()) {
      throw new IllegalArgumentException("TopicSpec " + name + ": purpose must be stated");
    }
    Objects.requireNonNull(writers, "TopicSpec: writers");
    Objects.requireNonNull(readers, "TopicSpec: readers");
    if (writers.isEmpty()) {
      throw new IllegalArgumentException("TopicSpec " + name + ": at least one writer plane");
    }
    writers = immutableEnumSet(writers);
    readers = immutableEnumSet(readers);
  }

  /** True when records are never deleted for age (retention {@code null}). */
  public boolean keptForever() {
    return retention == null;
  }

  /** Kafka's {@code retention.ms}: the retention in milliseconds, or -1 to keep forever. */
  public long retentionMs() {
    return retention == null ? -1L : retention.toMillis();
  }

  /**
   * The topic-level configs Quartet sets explicitly, in a stable order. {@code retention.ms} is
   * always set (-1 when forever) because the broker default (7 days) would silently delete a
   * system of record.
   */
  public Map<String, String> configs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put("cleanup.policy", cleanupPolicy);
    configs.put("retention.ms", Long.toString(retentionMs()));
    configs.put("min.insync.replicas", Integer.toString(minInsyncReplicas));
    return Collections.unmodifiableMap(configs);
  }

  /** This spec with another replication factor and min ISR, everything else unchanged. */
  public TopicSpec withReplication(short newReplicationFactor, int newMinInsyncReplicas) {
    return new TopicSpec(name, partitions, newReplicationFactor, cleanupPolicy, retention, newMinInsyncReplicas,
        purpose, writers, readers);
  }

  private static Set<Plane> immutableEnumSet(Set<Plane> planes) {
    // EnumSet iterates in declaration order, so manifests and docs render the same every time.
    return planes.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(Plane.class))
        : Collections.unmodifiableSet(EnumSet.copyOf(planes));
  }
}

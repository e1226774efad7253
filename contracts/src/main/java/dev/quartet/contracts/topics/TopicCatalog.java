package dev.quartet.contracts.topics;

import dev.quartet.contracts.Plane;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.quartet.contracts.Plane.CONTROL;
import static dev.quartet.contracts.Plane.DATA;
import static dev.quartet.contracts.Plane.EVIDENCE;
import static dev.quartet.contracts.Plane.EXECUTION;
import static dev.quartet.contracts.topics.TopicSpec.COMPACT;
import static dev.quartet.contracts.topics.TopicSpec.DELETE;

/**
 * Every Kafka topic Quartet uses, with its production settings (replication factor 3,
 * {@code min.insync.replicas} 2, so one broker may fail without losing an acknowledged write).
 * The Strimzi manifests in {@code ops/kafka/topics.yaml} are generated from {@link #production()}
 * and a unit test keeps them equal.
 */
public final class TopicCatalog {
  /** Signed config snapshots (DSSE envelopes), keyed by scope: the system of record for config. */
  public static final String CONFIG_SNAPSHOTS = "quartet.config.snapshots";
  /** Workers' ACK/NACK of a snapshot version + digest, keyed by worker id. */
  public static final String CONFIG_ACKS = "quartet.config.acks";
  /** Signed lease tokens naming each scope's head, keyed by scope. */
  public static final String CONFIG_LEASE_TOKENS = "quartet.config.lease-tokens";
  /** Worker registrations (queue, labels, capacity), keyed by worker id. */
  public static final String WORKER_REGISTRATIONS = "quartet.workers.registrations";
  /** Light and full worker heartbeats, keyed by worker id. */
  public static final String WORKER_HEARTBEATS = "quartet.workers.heartbeats";
  /** Accepted task submissions, keyed by task id. */
  public static final String TASK_SUBMISSIONS = "quartet.tasks.submissions";
  /** Task state events, keyed by task id: the event-sourced record of every task. */
  public static final String TASK_EVENTS = "quartet.tasks.events";
  /** Cancel requests for tasks, keyed by task id; every worker reads all of them. */
  public static final String TASK_COMMANDS = "quartet.tasks.commands";
  /** Inline payloads up to the inline threshold, keyed by payload ref. */
  public static final String PAYLOAD_RECORDS = "quartet.payloads.records";
  /** Payload stored / rejected / quarantined events, keyed by payload ref. */
  public static final String PAYLOAD_EVENTS = "quartet.payloads.events";
  /** Evidence events from all planes: the input of the evidence log. */
  public static final String EVIDENCE_EVENTS = "quartet.evidence.events";
  /** Signed checkpoints of the evidence log. */
  public static final String EVIDENCE_CHECKPOINTS = "quartet.evidence.checkpoints";
  /** Gap events: evidence that could not be written (count, time range, producer, reason). */
  public static final String EVIDENCE_GAPS = "quartet.evidence.gaps";
  /** Records no consumer could decode, with {@code quartet.dlq.*} reason headers. */
  public static final String DEAD_LETTER = "quartet.deadletter";

  /** Production replication factor. */
  public static final short PRODUCTION_REPLICATION_FACTOR = 3;
  /** Production {@code min.insync.replicas}: acks=all writes survive one broker loss. */
  public static final int PRODUCTION_MIN_INSYNC_REPLICAS = 2;

  private static final Set<Plane> ALL = EnumSet.allOf(Plane.class);
  private static final TopicCatalog PRODUCTION = new TopicCatalog(productionTopics());

  private final List<TopicSpec> topics;

  private TopicCatalog(List<TopicSpec> topics) {
    Set<String> names = new HashSet<>();
    for (TopicSpec t : topics) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("TopicCatalog: topic " + t.name() + " listed twice");
      }
    }
    this.topics = List.copyOf(topics);
  }

  /**
   * A catalog of the given topics, e.g. a subset to provision, or test topics with unique names.
   *
   * @throws IllegalArgumentException when a name is listed twice
   */
  public static TopicCatalog of(List<TopicSpec> topics) {
    return new TopicCatalog(topics);
  }

  /** The catalog with production settings (RF 3, min ISR 2). */
  public static TopicCatalog production() {
    return PRODUCTION;
  }

  /**
   * The production catalog for a cluster of {@code brokerCount} brokers; see {@link #cappedFor}.
   * The embedded single broker gets RF 1 / min ISR 1; three or more brokers get {@link #production()}.
   *
   * @throws IllegalArgumentException when {@code brokerCount < 1}
   */
  public static TopicCatalog forBrokers(int brokerCount) {
    return PRODUCTION.cappedFor(brokerCount);
  }

  /**
   * This catalog with each replication factor capped at {@code brokerCount} and each min ISR at
   * one less than the capped factor (at least 1); topics that already fit are unchanged.
   *
   * @throws IllegalArgumentException when {@code brokerCount < 1}
   */
  public TopicCatalog cappedFor(int brokerCount) {
    if (brokerCount < 1) {
      throw new IllegalArgumentException("TopicCatalog: broker count must be >= 1, was " + brokerCount);
    }
    List<TopicSpec> capped = new ArrayList<>();
    for (TopicSpec t : topics) {
      if (t.replicationFactor() <= brokerCount) {
        capped.add(t);
        continue;
      }
      short rf = (short) brokerCount;
      // min ISR equal to RF would stop all writes whenever one replica is down; keep one spare.
      int minIsr = Math.max(1, Math.min(t.minInsyncReplicas(), rf - 1));
      capped.add(t.withReplication(rf, minIsr));
    }
    return new TopicCatalog(capped);
  }

  /** All topics, in a stable order. */
  public List<TopicSpec> topics() {
    return topics;
  }

  /** The spec of the named topic, if it is in the catalog. */
  public Optional<TopicSpec> find(String name) {
    return topics.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * The spec of the named topic.
   *
   * @throws IllegalArgumentException when the topic is not in the catalog
   */
  public TopicSpec get(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException("TopicCatalog: no topic " + name));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicCatalog && ((TopicCatalog) o).topics.equals(topics);
  }

  @Override
  public int hashCode() {
    return topics.hashCode();
  }

  @Override
  public String toString() {
    return "TopicCatalog" + topics.stream().map(TopicSpec::name).collect(Collectors.toList());
  }

  private static List<TopicSpec> productionTopics() {
    Duration day = Duration.ofDays(1);
    return List.of(
        topic(CONFIG_SNAPSHOTS, 6, DELETE, null,
            "Signed config snapshots per scope; the system of record for configuration, kept forever",
            Set.of(CONTROL), ALL),
        topic(CONFIG_ACKS, 6, DELETE, day.multipliedBy(30),
            "Workers' ACK/NACK of each snapshot version and digest, for rollout decisions",
            Set.of(EXECUTION), Set.of(CONTROL)),
        topic(CONFIG_LEASE_TOKENS, 6, COMPACT, null,
            "Short-lived signed lease tokens naming each scope's head; only the latest per scope matters",
            Set.of(CONTROL), Set.of(EXECUTION, DATA)),
        topic(WORKER_REGISTRATIONS, 6, COMPACT, null,
            "Worker registrations (queue, labels, capacity); the latest per worker",
            Set.of(EXECUTION), Set.of(CONTROL, EXECUTION)),
        topic(WORKER_HEARTBEATS, 6, DELETE, day,
            "Light and full worker heartbeats; only recent ones matter for staleness",
            Set.of(EXECUTION), Set.of(CONTROL, EXECUTION)),
        topic(TASK_SUBMISSIONS, 12, DELETE, day.multipliedBy(7),
            "Accepted task submissions awaiting admission",
            Set.of(EXECUTION), Set.of(EXECUTION)),
        topic(TASK_EVENTS, 12, DELETE, null,
            "Task state events stamped with config version and digest; event-sourced, kept forever",
            Set.of(EXECUTION), Set.of(EXECUTION)),
        topic(TASK_COMMANDS, 3, DELETE, day,
            "Cancel requests; every worker reads them all so the holder of a task can interrupt it",
            Set.of(EXECUTION), Set.of(EXECUTION)),
        topic(PAYLOAD_RECORDS, 12, DELETE, day.multipliedBy(7),
            "Inline payloads up to the inline threshold; bounded retention",
            Set.of(DATA), Set.of(DATA, EXECUTION)),
        topic(PAYLOAD_EVENTS, 12, DELETE, day.multipliedBy(30),
            "Payload stored, rejected and quarantined events (references only, never content)",
            Set.of(DATA), Set.of(DATA, EXECUTION)),
        topic(EVIDENCE_EVENTS, 6, DELETE, null,
            "Evidence events from all planes; each partition is a Merkle tree, kept forever",
            ALL, Set.of(EVIDENCE)),
        topic(EVIDENCE_CHECKPOINTS, 1, DELETE, null,
            "Signed checkpoints of the evidence log, one partition so witnesses see one order; kept forever",
            Set.of(EVIDENCE), Set.of(EVIDENCE)),
        topic(EVIDENCE_GAPS, 3, DELETE, null,
            "Gap events: evidence lost while it could not be written, and planes gone silent",
            ALL, Set.of(EVIDENCE)),
        topic(DEAD_LETTER, 3, DELETE, day.multipliedBy(30),
            "Records no consumer could decode, with quartet.dlq.* reason headers; read by operators",
            ALL, Set.of()));
  }

  private static TopicSpec topic(String name, int partitions, String cleanupPolicy, Duration retention,
                                 String purpose, Set<Plane> writers, Set<Plane> readers) {
    return new TopicSpec(name, partitions, PRODUCTION_REPLICATION_FACTOR, cleanupPolicy, retention,
        PRODUCTION_MIN_INSYNC_REPLICAS, purpose, writers, readers);
  }
}

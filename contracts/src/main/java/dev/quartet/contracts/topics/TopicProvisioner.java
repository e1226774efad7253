package dev.quartet.contracts.topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Creates the catalog's missing topics and reports how existing ones differ from it.
 *
 * <p>Idempotent and safe to run concurrently from several planes: a topic another process created
 * first ({@link TopicExistsException}) counts as existing. Existing topics are never altered:
 * changing partitions breaks key ordering and lowering retention deletes data, so drift is
 * reported for an operator to decide. Every admin call is bounded by the
 * {@link TopicProvisioningConfig}. The {@link Admin} is the caller's; this class does not close it.
 */
public final class TopicProvisioner {
  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
  private static final List<String> CHECKED_CONFIGS = List.of("cleanup.policy", "retention.ms", "min.insync.replicas");

  private final Admin admin;
  private final TopicProvisioningConfig config;

  /** A provisioner working through {@code admin}, bounded by {@code config}. */
  public TopicProvisioner(Admin admin, TopicProvisioningConfig config) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Connects to {@code bootstrapServers}, provisions {@code catalog} and disconnects.
   *
   * @throws TopicProvisioningException when the cluster cannot be reached or refuses a topic
   */
  public static ProvisioningResult provision(String bootstrapServers, TopicCatalog catalog, TopicProvisioningConfig config) {
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, config.operationTimeout().toMillis());
    Map<String, Object> props = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    try (Admin admin = Admin.create(props)) {
      return new TopicProvisioner(admin, config).provision(catalog);
    }
  }

  /**
   * Creates every missing catalog topic, then compares all catalog topics with the cluster.
   *
   * @return the topics created and every drift found (partitions, replication.factor,
   *     cleanup.policy, retention.ms, min.insync.replicas)
   * @throws TopicProvisioningException when an admin call fails or exceeds its timeout
   */
  public ProvisioningResult provision(TopicCatalog catalog) {
    Set<String> names = catalog.topics().stream().map(TopicSpec::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));
    List<String> created = createMissing(catalog, names);
    Map<String, TopicDescription> descriptions = describeWhenVisible(names, "describe topics",
        pending -> admin.describeTopics(pending, new DescribeTopicsOptions().timeoutMs(timeoutMs())).topicNameValues());
    Map<String, Config> configs = describeWhenVisible(names, "describe topic configs", this::describeConfigs);
    List<TopicDrift> drift = new ArrayList<>();
    for (TopicSpec spec : catalog.topics()) {
      drift.addAll(compare(spec, descriptions.get(spec.name()), configs.get(spec.name())));
    }
    for (TopicDrift d : drift) {
      log.warn("Topic drift: {}", d);
    }
    log.info("Provisioned {} topics: {} created, {} drifted settings", names.size(), created.size(), drift.size());
    return new ProvisioningResult(created, drift);
  }

  /** The differences between {@code spec} and what the cluster reports, one per setting. */
  static List<TopicDrift> compare(TopicSpec spec, TopicDescription description, Config configs) {
    List<TopicDrift> drift = new ArrayList<>();
    String name = spec.name();
    addIfDifferent(drift, name, "partitions", Integer.toString(spec.partitions()),
        Integer.toString(description.partitions().size()));
    String replicas = description.partitions().stream().map(p -> p.replicas().size())
        .collect(Collectors.toCollection(TreeSet::new)).stream().map(String::valueOf).collect(Collectors.joining(","));
    addIfDifferent(drift, name, "replication.factor", Short.toString(spec.replicationFactor()), replicas);
    Map<String, String> expected = spec.configs();
    for (String key : CHECKED_CONFIGS) {
      ConfigEntry entry = configs.get(key);
      String actual = entry == null || entry.value() == null ? "(unset)" : entry.value();
      if (key.equals("cleanup.policy")) {
        // The broker keeps the list as written; "delete,compact" and "compact,delete" are the same policy.
        actual = Arrays.stream(actual.split(",")).map(String::trim).sorted().collect(Collectors.joining(","));
      }
      addIfDifferent(drift, name, key, expected.get(key), actual);
    }
    return drift;
  }

  private List<String> createMissing(TopicCatalog catalog, Set<String> names) {
    Set<String> existing = await(admin.listTopics(new ListTopicsOptions().listInternal(false).timeoutMs(timeoutMs())).names(),
        "list topics");
    List<NewTopic> missing = catalog.topics().stream().filter(t -> !existing.contains(t.name()))
        .map(t -> new NewTopic(t.name(), t.partitions(), t.replicationFactor()).configs(t.configs()))
        .collect(Collectors.toList());
    if (missing.isEmpty()) {
      return List.of();
    }
    Map<String, KafkaFuture<Void>> results =
        admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(timeoutMs())).values();
    List<String> created = new ArrayList<>();
    for (NewTopic topic : missing) {
      try {
        await(results.get(topic.name()), "create " + topic.name());
        created.add(topic.name());
        log.info("Created topic {} ({} partitions, replication factor {})", topic.name(), topic.numPartitions(),
            topic.replicationFactor());
      } catch (TopicProvisioningException e) {
        if (e.getCause() instanceof InvalidReplicationFactorException) {
          throw new TopicProvisioningException(e.getMessage()
              + " (a cluster with fewer brokers needs TopicCatalog.forBrokers(n))", e.getCause());
        }
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
        log.info("Topic {} was created concurrently by another process", topic.name());
      }
    }
    return created;
  }

  private Map<String, KafkaFuture<Config>> describeConfigs(Set<String> names) {
    Map<ConfigResource, String> resources = new HashMap<>();
    for (String name : names) {
      resources.put(new ConfigResource(ConfigResource.Type.TOPIC, name), name);
    }
    Map<ConfigResource, KafkaFuture<Config>> futures =
        admin.describeConfigs(resources.keySet(), new DescribeConfigsOptions().timeoutMs(timeoutMs())).values();
    Map<String, KafkaFuture<Config>> byName = new HashMap<>();
    futures.forEach((resource, future) -> byName.put(resources.get(resource), future));
    return byName;
  }

  /** Repeats {@code call} for topics the broker does not know yet, until {@code metadataWait} ends. */
  private <T> Map<String, T> describeWhenVisible(Set<String> names, String step,
                                                Function<Set<String>, Map<String, KafkaFuture<T>>> call) {
    long deadline = System.nanoTime() + config.metadataWait().toNanos();
    Map<String, T> found = new HashMap<>();
    Set<String> pending = new LinkedHashSet<>(names);
    while (true) {
      Map<String, KafkaFuture<T>> futures = call.apply(pending);
      for (String name : new ArrayList<>(pending)) {
        try {
          found.put(name, await(futures.get(name), step + " " + name));
          pending.remove(name);
        } catch (TopicProvisioningException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            throw e;
          }
        }
      }
      if (pending.isEmpty()) {
        return found;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new TopicProvisioningException(step + ": topics " + pending + " still unknown to the broker after "
            + config.metadataWait(), null);
      }
      pauseBeforeRetry(step);
    }
  }

  private void pauseBeforeRetry(String step) {
    try {
      TimeUnit.NANOSECONDS.sleep(config.retryBackoff().toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicProvisioningException(step + ": interrupted", e);
    }
  }

  private <T> T await(KafkaFuture<T> future, String step) {
    try {
      return future.get(config.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new TopicProvisioningException(step + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new TopicProvisioningException(step + " timed out after " + config.operationTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicProvisioningException(step + ": interrupted", e);
    }
  }

  private int timeoutMs() {
    return (int) Math.min(Integer.MAX_VALUE, config.operationTimeout().toMillis());
  }

  private static void addIfDifferent(List<TopicDrift> drift, String topic, String setting, String expected, String actual) {
    if (!expected.equals(actual)) {
      drift.add(new TopicDrift(topic, setting, expected, actual));
    }
  }
}

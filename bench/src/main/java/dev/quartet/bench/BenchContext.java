package dev.quartet.bench;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.topics.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One bench run's connection to Kafka: the settings, the topic settings every bench topic copies
 * from Quartet's evidence input topic (partitions, replication, min ISR, configs), client configs
 * with Quartet's producer guarantees (acks=all, idempotence), and the topics it created, all
 * deleted on {@link #close()}. Not thread-safe: scenarios run one at a time.
 */
public final class BenchContext implements AutoCloseable {
  private final String bootstrapServers;
  private final BenchSettings settings;
  private final Admin admin;
  private final int brokerCount;
  private final TopicSpec topicSpec;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicInteger topicCounter = new AtomicInteger();
  private final Set<String> created = new HashSet<>();
  private final Map<Integer, FilledTopic> filled = new HashMap<>();
  private final ResourceMeter meter = new ResourceMeter();
  private final Map<String, AutoCloseable> shared = new LinkedHashMap<>();
  private ResourceUsage lastUsage;
  private boolean measuring;

  // Package-private so runner tests can make a context without a broker (admin null, no topics).
  BenchContext(String bootstrapServers, BenchSettings settings, Admin admin, int brokerCount) {
    this.bootstrapServers = bootstrapServers;
    this.settings = settings;
    this.admin = admin;
    this.brokerCount = brokerCount;
    this.topicSpec = TopicCatalog.forBrokers(brokerCount).get(TopicCatalog.EVIDENCE_EVENTS);
  }

  /**
   * Connects and counts the cluster's brokers, which caps replication as Quartet's catalog does.
   *
   * @throws BenchUnavailableException when the cluster does not answer within the operation timeout
   */
  public static BenchContext connect(String bootstrapServers, BenchSettings settings) {
    int timeoutMs = (int) settings.operationTimeout().toMillis();
    Admin admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
    try {
      int brokers = admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
      return new BenchContext(bootstrapServers, settings, admin, brokers);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      admin.close(Duration.ZERO);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new BenchUnavailableException("Kafka at " + bootstrapServers + " did not answer within "
          + settings.operationTimeout().toSeconds() + " s: " + (e.getCause() != null ? e.getCause() : e), e);
    }
  }

  public BenchSettings settings() {
    return settings;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public int brokerCount() {
    return brokerCount;
  }

  /** The settings bench topics copy: Quartet's evidence input topic, capped for this cluster. */
  public TopicSpec topicSpec() {
    return topicSpec;
  }

  /** Creates a topic with {@link #topicSpec()}'s settings and a name unique to this run; deleted on close at the latest. */
  public String createTopic(String purpose) {
    String name = "quartet-bench." + runId + "." + purpose + "." + topicCounter.incrementAndGet();
    NewTopic topic = new NewTopic(name, topicSpec.partitions(), topicSpec.replicationFactor()).configs(topicSpec.configs());
    await("create topic " + name, admin.createTopics(List.of(topic)).all());
    created.add(name);
    TopicOnline.await(admin, name, topicSpec.partitions(), settings.operationTimeout());
    return name;
  }

  /** Deletes a topic this run created. */
  public void deleteTopic(String name) {
    if (created.remove(name)) {
      filled.values().removeIf(f -> f.topic().equals(name));
      await("delete topic " + name, admin.deleteTopics(List.of(name)).all());
    }
  }

  /** A unique client id or group id for {@code purpose}. */
  public String uniqueId(String purpose) {
    return "quartet-bench-" + runId + "-" + purpose + "-" + topicCounter.incrementAndGet();
  }

  /** Producer config as Quartet's planes use it: acks=all, idempotent, Kafka's defaults otherwise (linger.ms 5, batch.size 16 KiB). */
  public Map<String, Object> producerConfig(String purpose) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, uniqueId(purpose));
    // Bounded by the operation timeout rather than Kafka's 2 minutes, so a stuck run ends sooner.
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.operationTimeout().toMillis());
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.operationTimeout().toMillis() / 2);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) settings.operationTimeout().toMillis());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return p;
  }

  /** Consumer config without a group (scenarios assign partitions), Kafka's defaults otherwise. */
  public Map<String, Object> consumerConfig(String purpose) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, uniqueId(purpose));
    c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.operationTimeout().toMillis());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return c;
  }

  /**
   * A topic of acknowledged {@code recordSize}-byte records for read-side scenarios: one a producer
   * scenario of this run left behind, else one filled now for warm-up + duration with a batching producer.
   */
  public FilledTopic filledTopic(int recordSize) {
    FilledTopic existing = filled.get(recordSize);
    if (existing != null) {
      return existing;
    }
    String topic = createTopic("fill-" + BenchSettings.sizeLabel(recordSize));
    Map<String, Object> config = producerConfig("fill");
    // Filling is not measured: large batches make it quick.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      ProducerRun.Throughput t = ProducerRun.run(producer, new RawRecords(recordSize), topic, Duration.ZERO,
          settings.warmup().plus(settings.duration()), () -> { }, () -> { });
      FilledTopic result = new FilledTopic(topic, recordSize, t.totalAcknowledged());
      filled.put(recordSize, result);
      return result;
    }
  }

  /** Hands back a topic a producer scenario wrote: kept for read-side scenarios if it has the run's record size, else deleted. */
  public void retire(FilledTopic written) {
    if (written.recordSize() == settings.recordSize() && !filled.containsKey(written.recordSize())) {
      filled.put(written.recordSize(), written);
    } else {
      deleteTopic(written.topic());
    }
  }

  /**
   * A resource several scenarios of this run share — the running planes — made by {@code make} on
   * first use and closed, newest first, when the context closes: starting planes takes seconds,
   * so scenarios that need them pay for it once.
   */
  public <T extends AutoCloseable> T shared(String key, Class<T> type, Supplier<T> make) {
    AutoCloseable existing = shared.get(key);
    if (existing != null) {
      return type.cast(existing);
    }
    T made = make.get();
    shared.put(key, made);
    return made;
  }

  /** Opens the measured window: resource figures count from here. */
  public void startMeasuring() {
    measuring = true;
    meter.start();
  }

  /** Closes the measured window. */
  public void stopMeasuring() {
    if (measuring) {
      lastUsage = meter.stop();
      measuring = false;
    }
  }

  /** Called by the runner before a scenario: until the scenario opens its own window, the whole scenario is metered. */
  void beginScenario() {
    lastUsage = null;
    startMeasuring();
  }

  /** Called by the runner after a scenario: what its measured window spent. */
  ResourceUsage endScenario() {
    stopMeasuring();
    return lastUsage;
  }

  @Override
  public void close() {
    try {
      closeShared();
      if (!created.isEmpty()) {
        await("delete topics " + created, admin.deleteTopics(List.copyOf(created)).all());
        created.clear();
      }
    } finally {
      admin.close(settings.operationTimeout());
    }
  }

  private void closeShared() {
    List<AutoCloseable> newestFirst = new ArrayList<>(shared.values());
    Collections.reverse(newestFirst);
    shared.clear();
    RuntimeException failure = null;
    for (AutoCloseable c : newestFirst) {
      try {
        c.close();
      } catch (Exception e) {
        // Close the rest anyway (PostgreSQL is a separate process); report the first failure.
        if (failure == null) {
          failure = new IllegalStateException("cannot close " + c + ": " + e.getMessage(), e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void await(String what, KafkaFuture<?> future) {
    try {
      future.get(settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchUnavailableException("interrupted: " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new BenchUnavailableException("cannot " + what + ": " + (e.getCause() != null ? e.getCause() : e), e);
    }
  }
}

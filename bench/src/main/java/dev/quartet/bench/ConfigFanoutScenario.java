package dev.quartet.bench;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.topics.TopicProvisioner;
import dev.quartet.contracts.topics.TopicProvisioningConfig;
import dev.quartet.contracts.trust.AdminKeyPair;
import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.DevelopmentTrust;
import dev.quartet.contracts.trust.Dsse;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.execution.config.WorkerSettings;
import dev.quartet.execution.domain.ConfigSnapshot;
import dev.quartet.execution.kafka.WorkerConfigAgent;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.schemas.ConfigApplied;
import dev.quartet.schemas.ConfigSnapshotPublished;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.UndecodableEventException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Quartet: a signed config version published on the config topic until every one of N workers has
 * verified it against its pinned trust root, applied it and said so (ConfigApplied on the ACK
 * topic) — against raw Kafka end-to-end latency of one record. The workers are the real
 * {@link WorkerConfigAgent}s, each with its own consumers and producer, in this JVM.
 */
final class ConfigFanoutScenario implements BenchScenario {
  /** Its name. */
  static final String NAME = "config-publish-ack";
  /** System property naming how many workers take part (PERF-GOALS: 50). */
  static final String WORKERS_PROPERTY = "quartet.bench.fanout-workers";
  /** Workers by default, as PERF-GOALS states the goal. */
  static final int DEFAULT_WORKERS = 50;
  private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(2);
  private static final String FAR = "2100-01-01T00:00:00Z";
  private final int workers;
  private final EventCodec codec = EventCodec.standard();

  ConfigFanoutScenario(int workers) {
    if (workers < 1 || workers > 500) {
      throw new IllegalArgumentException(WORKERS_PROPERTY + " must be 1..500, was " + workers);
    }
    this.workers = workers;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "signed config version published -> verified ConfigApplied from all " + workers
        + " workers (WorkerConfigAgent each, pinned trust root), p99";
  }

  @Override
  public Kind kind() {
    return Kind.QUARTET;
  }

  @Override
  public java.util.Optional<String> baseline() {
    return java.util.Optional.of(RawEndToEndLatencyScenario.NAME);
  }

  @Override
  public java.util.Optional<String> goal() {
    return java.util.Optional.of("config.publish-ack");
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    TopicProvisioner.provision(ctx.bootstrapServers(), TopicCatalog.forBrokers(ctx.brokerCount()), TopicProvisioningConfig.DEFAULTS);
    Path dir = Files.createTempDirectory("quartet-bench-fanout");
    DevelopmentTrust trust = DevelopmentTrust.ensure(dir, Clock.systemUTC());
    String scope = ctx.uniqueId("fanout").replaceAll("[^a-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
    scope = "b" + scope.substring(Math.max(0, scope.length() - 40)) + "/bench";
    // Delivery must outlast one request plus the producer's linger, as Kafka requires.
    KafkaSettings kafka = new KafkaSettings(ctx.bootstrapServers(), ctx.brokerCount(), ctx.settings().operationTimeout(),
        ctx.settings().operationTimeout().multipliedBy(2));
    List<WorkerConfigAgent> agents = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ctx.producerConfig("fanout-publisher"));
         KafkaConsumer<byte[], byte[]> acks = new KafkaConsumer<>(ctx.consumerConfig("fanout-acks"))) {
      List<TopicPartition> ackPartitions = acks.partitionsFor(TopicCatalog.CONFIG_ACKS, ctx.settings().operationTimeout()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      acks.assign(ackPartitions);
      acks.seekToEnd(ackPartitions);
      ackPartitions.forEach(acks::position);
      for (int i = 0; i < workers; i++) {
        String id = "bench-w" + i;
        ids.add(id);
        agents.add(WorkerConfigAgent.start(new WorkerSettings(false, id, scope + "/main", "", trust.trustFile().toString(),
            Duration.ofMillis(50), Duration.ofSeconds(30), 1 << 20, 64, 256, 500, Duration.ofSeconds(5), Duration.ofSeconds(5)),
            kafka, Clock.systemUTC()));
      }
      Publisher publisher = new Publisher(producer, acks, trust.adminKey(), scope, ids, ctx.settings().operationTimeout());
      long end = System.nanoTime() + ctx.settings().warmup().toNanos();
      do {
        publisher.roundTrip();  // the first round also waits for every worker to catch up
      } while (System.nanoTime() < end);
      Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
      ctx.startMeasuring();
      end = System.nanoTime() + ctx.settings().duration().toNanos();
      long samples = 0;
      do {
        histogram.recordValue(Math.min(publisher.roundTrip(), HIGHEST_TRACKABLE_NANOS));
        samples++;
      } while (System.nanoTime() < end);
      ctx.stopMeasuring();
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("p50Ms", histogram.getValueAtPercentile(50) / 1e6);
      metrics.put("p99Ms", histogram.getValueAtPercentile(99) / 1e6);
      metrics.put("maxMs", histogram.getMaxValue() / 1e6);
      metrics.put("versions", (double) samples);
      metrics.put("workers", (double) workers);
      return new ScenarioResult(Figure.latencyMillis("p99", histogram.getValueAtPercentile(99) / 1e6), metrics);
    } finally {
      agents.forEach(WorkerConfigAgent::close);
      TempFiles.deleteTree(dir);
    }
  }

  /** Publishes the next version and waits until every worker ACKed it; returns the nanoseconds that took. */
  private final class Publisher {
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> acks;
    private final AdminKeyPair key;
    private final String scope;
    private final Set<String> workerIds;
    private final Duration timeout;
    private long version;
    private String parent = "";

    Publisher(KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> acks, AdminKeyPair key, String scope,
              Set<String> workerIds, Duration timeout) {
      this.producer = producer;
      this.acks = acks;
      this.key = key;
      this.scope = scope;
      this.workerIds = workerIds;
      this.timeout = timeout;
    }

    long roundTrip() throws Exception {
      version++;
      Map<String, Object> doc = new HashMap<>();
      doc.put("scope", scope);
      doc.put("version", version);
      doc.put("parent", parent);
      doc.put("expiresAt", FAR);
      doc.put("body", Map.of("lease", Map.of("duration", "60s"),
          "degradedMode", Map.of("policy", "continue-cached", "grace", "10m"),
          "tools", List.of(Map.of("name", "transform", "kind", "transform")),
          "routes", List.of(Map.of("name", "default", "classifications", List.of("PUBLIC"))),
          "rollout", Map.of("cohort", "100%", "bake", "0s")));
      byte[] payload = CanonicalJson.serialize(doc);
      DsseEnvelope envelope = Dsse.sign(DsseEnvelope.unsigned(ConfigSnapshot.PAYLOAD_TYPE, payload), key);
      String digest = ConfigSnapshot.digestOf(payload);
      ConfigSnapshotPublished event = ConfigSnapshotPublished.newBuilder().setScope(scope).setVersion(version)
          .setDigest(digest).setParentDigest(parent).setIssuedAt(Instant.now()).setExpiresAt(Instant.parse(FAR))
          .setEnvelope(ByteBuffer.wrap(envelope.toJson())).build();
      long sent = System.nanoTime();
      producer.send(new ProducerRecord<>(TopicCatalog.CONFIG_SNAPSHOTS, scope.getBytes(StandardCharsets.UTF_8),
          codec.encode(event))).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Set<String> waiting = new HashSet<>(workerIds);
      long deadline = sent + (version == 1 ? timeout.toNanos() * 4 : timeout.toNanos());
      while (!waiting.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(waiting.size() + " of " + workerIds.size() + " workers did not apply " + scope
              + " v" + version + " within " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : acks.poll(Duration.ofMillis(20))) {
          try {
            if (codec.decode(r.value()) instanceof ConfigApplied a && a.getVersion() == version && a.getScope().equals(scope)) {
              waiting.remove(a.getWorkerId());
            }
          } catch (UndecodableEventException e) {
            // not ours to judge: another writer's record on the shared ACK topic
          }
        }
      }
      parent = digest;
      return System.nanoTime() - sent;
    }
  }
}

package dev.quartet.data.kafka;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.config.ConfigChain;
import dev.quartet.contracts.config.ConfigTrust;
import dev.quartet.contracts.config.SnapshotCheck;
import dev.quartet.contracts.config.SnapshotVerifier;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.trust.DsseEnvelope;
import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.contracts.trust.Verification;
import dev.quartet.data.config.ConfigFollowSettings;
import dev.quartet.data.domain.AppliedConfig;
import dev.quartet.data.domain.RouteBook;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.runtime.TopicBootstrap;
import dev.quartet.schemas.ConfigSnapshotPublished;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.UndecodableEventException;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows the signed config of the configured scopes on {@link TopicCatalog#CONFIG_SNAPSHOTS}: every
 * partition from the beginning, no consumer group (a broadcast every replica reads whole, and
 * rebuilds on start). Each snapshot is verified here against the pinned trust root and the chain
 * verified so far, never taken on the control plane's word; the newest link is applied as the
 * {@link RouteBook}. Anything refused is logged and changes nothing.
 */
@Context
public class ConfigSnapshotFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigSnapshotFollower.class);
  private final ConfigFollowSettings settings;
  private final KafkaSettings kafka;
  private final AtomicReference<RouteBook> book = new AtomicReference<>(RouteBook.none());
  private final AtomicLong refusals = new AtomicLong();
  private final AtomicReference<SnapshotCheck.Refused> lastRefusal = new AtomicReference<>();
  private final Map<ConfigScope, ConfigChain> chains = new HashMap<>();
  private final EventCodec codec = EventCodec.standard();
  private final Clock clock = Clock.systemUTC();
  private final ConfigTrust trust;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private Map<TopicPartition, Long> catchUpTo = Map.of();

  /** @param topics taken so that the topics exist before the config topic is read (TopicBootstrap runs first) */
  ConfigSnapshotFollower(ConfigFollowSettings settings, KafkaSettings kafka, TopicBootstrap topics) {
    this.settings = settings;
    this.kafka = kafka;
    if (!settings.enabled()) {
      this.trust = null;
      this.thread = null;
      log.info("No trust root configured (quartet.data.config.trust-file): routes are not followed, static limits apply");
      return;
    }
    List<ConfigScope> scopes = settings.scopes().stream().map(ConfigScope::parse).toList();
    if (scopes.isEmpty()) {
      throw new IllegalStateException("quartet.data.config.scopes must name at least one scope when a trust file is set");
    }
    this.trust = new ConfigTrust(loadTrustRoot(Path.of(settings.trustFile())), settings.maxClockSkew(), settings.maxEnvelopeBytes());
    scopes.forEach(s -> chains.put(s, ConfigChain.start(s)));
    book.set(new RouteBook(scopes, Map.of(), false));
    this.thread = new Thread(this::run, "quartet-data-config");
    thread.setDaemon(true);
    thread.start();
    log.info("Following config of scopes {} against trust root v{}", scopes, trust.root().version());
    // Start serving with the config in force, not with rules older than it (bounded: uploads of
    // followed scopes are refused until the topic is read, if it takes longer).
    try {
      if (!caughtUp.await(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Config topic not read within {}; uploads of followed scopes are refused until it is", settings.startTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The routes in force now. */
  public RouteBook routes() {
    return book.get();
  }

  /** How many snapshots of followed scopes were refused so far, and the last refusal (null: none). */
  public record Refusals(long count, SnapshotCheck.Refused last) {}

  /** Refusals so far. */
  public Refusals refusals() {
    return new Refusals(refusals.get(), lastRefusal.get());
  }

  private TrustRoot loadTrustRoot(Path file) {
    try {
      DsseEnvelope envelope = DsseEnvelope.fromJson(Files.readAllBytes(file));
      if (TrustRoot.verifySelfSigned(envelope, clock.instant()) instanceof Verification.Failed f) {
        throw new IllegalStateException("trust root " + file + " rejected at step " + f.step() + ": " + f.reason());
      }
      return TrustRoot.decode(envelope);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the trust root " + file + " (quartet.data.config.trust-file)", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("trust root " + file + " is not a signed trust root: " + e.getMessage(), e);
    }
  }

  private void run() {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.CLIENT_ID_CONFIG, "quartet-data-config-" + ProcessHandle.current().pid(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        // Snapshots are written in transactions with their evidence: an aborted one never counts.
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.startTimeout().toMillis()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      while (running) {
        try {
          if (c.assignment().isEmpty() && !assign(c)) {
            continue;
          }
          for (ConsumerRecord<byte[], byte[]> r : c.poll(settings.pollTimeout())) {
            handle(r);
          }
          if (caughtUp.getCount() > 0 && catchUpTo.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
            book.updateAndGet(RouteBook::caughtUpNow);
            caughtUp.countDown();
            log.info("Config topic read up to where it stood at start; routes of {} in force", book.get().followed());
          }
        } catch (WakeupException e) {
          // close() asks us to stop; the loop condition decides.
        } catch (RuntimeException e) {
          log.warn("Config follower: {}; retrying", e.toString());
        }
      }
    }
  }

  private boolean assign(KafkaConsumer<byte[], byte[]> c) {
    List<PartitionInfo> infos = c.partitionsFor(TopicCatalog.CONFIG_SNAPSHOTS, settings.startTimeout());
    if (infos == null || infos.isEmpty()) {
      return false;
    }
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
    c.assign(partitions);
    c.seekToBeginning(partitions);
    catchUpTo = new HashMap<>(c.endOffsets(partitions, settings.startTimeout()));
    return true;
  }

  private void handle(ConsumerRecord<byte[], byte[]> r) {
    String source = r.topic() + "-" + r.partition() + "@" + r.offset();
    SpecificRecord event;
    try {
      event = codec.decode(r.value());
    } catch (UndecodableEventException | RuntimeException e) {
      // Bad data is skipped, not dead-lettered: every follower would dead-letter the same record.
      log.warn("Skipping undecodable config record {}: {}", source, e.getClass().getSimpleName());
      return;
    }
    if (!(event instanceof ConfigSnapshotPublished p)) {
      return;
    }
    ConfigScope scope;
    try {
      scope = ConfigScope.parse(p.getScope());
    } catch (IllegalArgumentException e) {
      return;
    }
    ConfigChain chain = chains.get(scope);
    if (chain == null) {
      return;
    }
    ByteBuffer buffer = p.getEnvelope().duplicate();
    byte[] envelope = new byte[buffer.remaining()];
    buffer.get(envelope);
    SnapshotCheck check = SnapshotVerifier.check(chain, trust, envelope, p.getVersion(), clock.instant());
    if (check instanceof SnapshotCheck.Linked linked) {
      chains.put(scope, chain.linked(linked.snapshot()));
      AppliedConfig applied = AppliedConfig.of(linked.snapshot());
      book.updateAndGet(b -> b.with(applied));
      log.info("Config applied scope={} configVersion={} digest={} source={}{}", scope, linked.snapshot().version(),
          linked.snapshot().digest(), source, applied.routes() == null ? " (routes unreadable: uploads refused)" : "");
    } else if (check instanceof SnapshotCheck.Refused refused) {
      refusals.incrementAndGet();
      lastRefusal.set(refused);
      log.warn("Config snapshot refused scope={} configVersion={} digest={} reason={} source={}: {}", scope, refused.version(),
          refused.digest(), refused.reason(), source, refused.detail());
    }
  }

  @PreDestroy
  @Override
  public void close() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(settings.startTimeout().toMillis() + settings.pollTimeout().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

package dev.quartet.execution.kafka;

import dev.quartet.contracts.trust.TrustRoot;
import dev.quartet.execution.config.PinnedTrustRoot;
import dev.quartet.execution.config.WorkerSettings;
import dev.quartet.execution.domain.LeaseRefusal;
import dev.quartet.execution.domain.WorkerConfigEvent;
import dev.quartet.execution.domain.WorkerConfigRules;
import dev.quartet.execution.domain.WorkerConfigState;
import dev.quartet.execution.domain.WorkerIdentity;
import dev.quartet.execution.domain.WorkerStatus;
import dev.quartet.execution.domain.WorkerTrust;
import dev.quartet.runtime.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A worker's config agent: reads its scope's snapshots and lease tokens, verifies each itself
 * against its pinned trust root ({@link WorkerConfigRules}), applies the newest verifiable
 * version whose staged rollout targets it (a newer one outside its cohort is reported once as
 * {@code NOT_IN_COHORT} and kept as a link), keeps the bounded config lease, and reports every decision. One thread owns the state;
 * it polls for at most the tick interval, so the lease is evaluated on that bounded schedule even
 * when nothing arrives. Readers see an immutable snapshot of the state; {@link #admitting()} is
 * computed from it at the current instant, so a late tick can never stretch a lease.
 */
public final class WorkerConfigAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerConfigAgent.class);

  private final WorkerIdentity identity;
  private final WorkerTrust trust;
  private final WorkerSettings settings;
  private final KafkaSettings kafka;
  private final Clock clock;
  private final Producer<byte[], byte[]> producer;
  private final ConfigReports reports;
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private final Deque<WorkerConfigEvent.SnapshotRefused> deferred = new ArrayDeque<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread;
  private volatile WorkerConfigState state;
  private volatile ConfigFeed feed;
  private volatile boolean caughtUp;

  private WorkerConfigAgent(WorkerIdentity identity, WorkerTrust trust, WorkerSettings settings, KafkaSettings kafka, Clock clock) {
    this.identity = identity;
    this.trust = trust;
    this.settings = settings;
    this.kafka = kafka;
    this.clock = clock;
    this.state = WorkerConfigState.initial(identity.scope(), settings.bounds());
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.CLIENT_ID_CONFIG, "quartet-worker-" + identity.id(),
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) kafka.deliveryTimeout().toMillis(),
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(kafka.requestTimeout().toMillis(), kafka.deliveryTimeout().toMillis()),
        ProducerConfig.MAX_BLOCK_MS_CONFIG, kafka.requestTimeout().toMillis()),
        new ByteArraySerializer(), new ByteArraySerializer());
    this.reports = new ConfigReports(producer, identity);
    this.thread = new Thread(this::run, "worker-config-" + identity.id());
    thread.setDaemon(true);
  }

  /**
   * Loads and checks the pinned trust root, then starts following the worker's scope.
   *
   * @throws IllegalArgumentException if the settings name no trust file or a malformed identity
   * @throws IllegalStateException if the trust root cannot be read or does not verify
   */
  public static WorkerConfigAgent start(WorkerSettings settings, KafkaSettings kafka, Clock clock) {
    WorkerIdentity identity = settings.identity();
    TrustRoot root = PinnedTrustRoot.load(settings.trustFile(), clock.instant());
    if (root.leaseKeys().isEmpty()) {
      log.warn("Trust root v{} lists no lease keys: worker={} can never hold a config lease and will run degraded",
          root.version(), identity.id());
    }
    var agent = new WorkerConfigAgent(identity, new WorkerTrust(root, settings.maxClockSkew(), settings.maxEnvelopeBytes()),
        settings, kafka, clock);
    agent.thread.start();
    log.info("Worker started worker={} queue={} labels={} trustRoot=v{} adminKeys={}", identity.id(), identity.queue(),
        identity.labels(), root.version(), root.adminKeys().size());
    return agent;
  }

  /** Who this worker is. */
  public WorkerIdentity identity() {
    return identity;
  }

  /** The current config state (immutable). */
  public WorkerConfigState state() {
    return state;
  }

  /** Where the worker stands now. */
  public WorkerStatus status() {
    return state.status(clock.instant());
  }

  /** Whether the worker may admit new work now: false without a verified, unexpired config and a lease or grace. */
  public boolean admitting() {
    return state.admitting(clock.instant());
  }

  /** True once the feed has read both topics up to where they ended at start. */
  public boolean caughtUp() {
    return caughtUp;
  }

  private void run() {
    int failures = 0;
    try {
      while (closing.getCount() > 0) {
        try (ConfigFeed opened = ConfigFeed.open(consumerProperties(), identity.scope().toString(), positions,
            kafka.requestTimeout())) {
          feed = opened;
          if (closing.getCount() == 0) {
            return;  // close() ran while the feed was opening and could not wake it
          }
          while (closing.getCount() > 0) {
            follow(opened);
            failures = 0;
          }
        } catch (WakeupException e) {
          if (closing.getCount() > 0) {
            log.warn("Config feed of worker={} woken without close; reopening", identity.id());
          }
        } catch (RuntimeException e) {
          failures++;
          Duration backoff = backoff(failures);
          log.error("Config feed of worker={} failed ({} in a row); reopening from its positions in {}", identity.id(),
              failures, backoff, e);
          if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
          }
        } finally {
          feed = null;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }

  /** One poll: verify what arrived, then (once caught up) tick. */
  private void follow(ConfigFeed opened) {
    List<ConfigFeed.Input> inputs = opened.poll(settings.tickInterval(), positions);
    for (ConfigFeed.Input input : inputs) {
      Instant now = clock.instant();
      if (input instanceof ConfigFeed.SnapshotInput s) {
        apply(WorkerConfigRules.onSnapshot(state, trust, s.envelope(), s.claimedVersion(), now), now);
      } else if (input instanceof ConfigFeed.TokenInput t) {
        apply(WorkerConfigRules.onLeaseToken(state, trust, t.token(), now), now);
      } else if (input instanceof ConfigFeed.UnreadableToken u) {
        apply(List.of(new WorkerConfigEvent.LeaseTokenRefused(u.headVersion(), LeaseRefusal.MALFORMED, u.detail())), now);
      }
    }
    // Catch-up first: applying only once the history is read ACKs the newest version, not each old one.
    if (!caughtUp && opened.caughtUp()) {
      caughtUp = true;
      log.info("Config feed caught up worker={} scope={}", identity.id(), identity.scope());
    }
    if (caughtUp) {
      Instant now = clock.instant();
      apply(WorkerConfigRules.onTick(state, identity, now), now);
      WorkerConfigRules.exclusion(state, identity, now).ifPresent(x -> {
        state = x.applyTo(state);
        reports.reportExclusion(x, now);
      });
      if (!deferred.isEmpty()) {
        reportDeferred(now);
      }
    }
  }

  private void apply(List<WorkerConfigEvent> events, Instant now) {
    for (WorkerConfigEvent e : events) {
      state = e.applyTo(state);
      if (!caughtUp && e instanceof WorkerConfigEvent.SnapshotRefused r) {
        defer(r);
      } else {
        reports.report(e, state, now);
      }
    }
  }

  /**
   * Holds a refusal met while re-reading history. The config topic is kept forever and every
   * start re-reads it, so reporting each historical refusal again would add NACKs and evidence on
   * every restart; only those the catch-up did not supersede are reported ({@link #reportDeferred}).
   */
  private void defer(WorkerConfigEvent.SnapshotRefused r) {
    deferred.addLast(r);
    if (deferred.size() > settings.maxPendingVersions()) {
      deferred.removeFirst();
    }
  }

  private void reportDeferred(Instant now) {
    long applied = state.applied() == null ? 0 : state.applied().version();
    for (WorkerConfigEvent.SnapshotRefused r : deferred) {
      if (r.version() > applied) {
        reports.report(r, state, now);
      } else {
        log.debug("Superseded refusal not reported worker={} configVersion={} reason={}", identity.id(), r.version(), r.reason());
      }
    }
    deferred.clear();
  }

  private Map<String, Object> consumerProperties() {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "quartet-worker-" + identity.id());
    // The control plane writes snapshots in transactions with their evidence: never read an aborted one.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Topics belong to the catalog (TopicBootstrap); a worker must never create one with broker defaults.
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) kafka.requestTimeout().toMillis());
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) kafka.requestTimeout().toMillis());
    return p;
  }

  private Duration backoff(int failures) {
    long millis = settings.tickInterval().toMillis() << Math.min(failures, 10);
    return Duration.ofMillis(Math.min(millis, settings.maxRestartBackoff().toMillis()));
  }

  /** Stops following (bounded by the shutdown timeout) and flushes pending acks and evidence. */
  @Override
  public void close() {
    closing.countDown();
    ConfigFeed current = feed;
    if (current != null) {
      try {
        current.wakeup();
      } catch (IllegalStateException raced) {
        // The feed closed between reading it and waking it: the loop has already seen closing.
      }
    }
    try {
      if (!stopped.await(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Config feed of worker={} did not stop within {}", identity.id(), settings.shutdownTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(settings.shutdownTimeout());
    log.info("Worker stopped worker={}", identity.id());
  }
}

package dev.quartet.control.kafka;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.kafka.ConsumedEvent;
import dev.quartet.contracts.kafka.ConsumerLoopConfig;
import dev.quartet.contracts.kafka.SupervisedConsumerLoop;
import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.control.config.WorkerRegistrySettings;
import dev.quartet.control.domain.ConfigReport;
import dev.quartet.control.domain.WorkerBeat;
import dev.quartet.control.domain.WorkerRegistration;
import dev.quartet.control.store.ConfigReportStore;
import dev.quartet.control.store.WorkerRegistryStore;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.runtime.TopicBootstrap;
import dev.quartet.schemas.ConfigApplied;
import dev.quartet.schemas.ConfigRefused;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.WorkerHeartbeat;
import dev.quartet.schemas.WorkerRegistered;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.TreeMap;

/**
 * Projects worker registrations, heartbeats and config ACK/NACKs into PostgreSQL, in one consumer
 * loop (read_committed; undecodable records are dead-lettered by the loop). A record that decodes
 * but breaks the bounds (a malformed id or queue, too many labels) is skipped with a warning naming
 * where it is: the topics are written by workers, and one bad worker must not stop the registry.
 * When storing fails (PostgreSQL down) the supervised loop stops uncommitted and is restarted after
 * a bounded, growing back-off, resuming from the last committed offset.
 */
@Context
public class WorkerRegistryFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerRegistryFeed.class);
  private final WorkerRegistryStore workers;
  private final ConfigReportStore reports;
  private final WorkerRegistrySettings settings;
  private final Clock clock = Clock.systemUTC();
  private final SupervisedConsumerLoop loop;

  /** Takes {@link TopicBootstrap} so consumption starts only once the topics exist. */
  WorkerRegistryFeed(WorkerRegistryStore workers, ConfigReportStore reports, WorkerRegistrySettings settings, KafkaSettings kafka,
                     TopicBootstrap topics) {
    this.workers = workers;
    this.reports = reports;
    this.settings = settings;
    var config = new ConsumerLoopConfig(settings.consumerGroup(),
        List.of(TopicCatalog.WORKER_REGISTRATIONS, TopicCatalog.WORKER_HEARTBEATS, TopicCatalog.CONFIG_ACKS),
        TopicCatalog.DEAD_LETTER, settings.pollTimeout(), settings.maxPollRecords(), kafka.deliveryTimeout());
    this.loop = SupervisedConsumerLoop.start("worker-registry-feed", kafka.bootstrapServers(), config, EventCodec.standard(),
        this::project, settings.maxRestartBackoff());
  }

  /** Whether the feed is consuming now (false while it backs off after a failure). */
  public boolean running() {
    return loop.running();
  }

  private void project(ConsumedEvent consumed) {
    Object event = consumed.event();
    try {
      if (event instanceof WorkerRegistered r) {
        workers.register(new WorkerRegistration(r.getWorkerId(), r.getQueue(), new TreeMap<>(r.getLabels()), r.getCapacity(),
            r.getRegisteredAt()).requireAtMost(settings.maxLabels()), clock.instant());
      } else if (event instanceof WorkerHeartbeat h) {
        workers.heartbeat(new WorkerBeat(h.getWorkerId(), h.getState().name(), h.getTaskCount(), h.getFull(), h.getCapacity(),
            h.getAppliedConfigVersion(), h.getAppliedConfigDigest(), h.getSentAt()), clock.instant());
      } else if (event instanceof ConfigApplied a) {
        reports.record(new ConfigReport.Applied(a.getWorkerId(), ConfigScope.parse(a.getScope()), a.getVersion(), a.getDigest(),
            a.getAppliedAt()));
      } else if (event instanceof ConfigRefused r) {
        reports.record(new ConfigReport.Refused(r.getWorkerId(), ConfigScope.parse(r.getScope()), r.getVersion(), r.getDigest(),
            bounded(r.getReason()), r.getRefusedAt()));
      } else {
        log.warn("Skipping {} at {}: not a worker or config report event", consumed.event().getSchema().getName(), consumed.source());
        return;
      }
    } catch (IllegalArgumentException e) {
      // Only the checks of the domain records throw this; storage failures are IllegalStateException and stop the loop.
      log.warn("Skipping {} at {}: {}", consumed.event().getSchema().getName(), consumed.source(), e.getMessage());
      return;
    }
  }

  private String bounded(String reason) {
    return reason.length() <= settings.maxReasonChars() ? reason : reason.substring(0, settings.maxReasonChars());
  }

  @Override
  @PreDestroy
  public void close() {
    loop.close();
  }
}

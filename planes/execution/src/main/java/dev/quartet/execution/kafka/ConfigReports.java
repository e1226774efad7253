package dev.quartet.execution.kafka;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.execution.domain.CohortExclusion;
import dev.quartet.execution.domain.ConfigSnapshot;
import dev.quartet.execution.domain.WorkerConfigEvent;
import dev.quartet.execution.domain.WorkerConfigEvent.AppliedConfigExpired;
import dev.quartet.execution.domain.WorkerConfigEvent.DegradedModeEntered;
import dev.quartet.execution.domain.WorkerConfigEvent.GraceExhausted;
import dev.quartet.execution.domain.WorkerConfigEvent.LeaseRecovered;
import dev.quartet.execution.domain.WorkerConfigEvent.LeaseTokenRefused;
import dev.quartet.execution.domain.WorkerConfigEvent.SnapshotApplied;
import dev.quartet.execution.domain.WorkerConfigEvent.SnapshotRefused;
import dev.quartet.execution.domain.WorkerConfigState;
import dev.quartet.execution.domain.WorkerIdentity;
import dev.quartet.runtime.BuildInfo;
import dev.quartet.schemas.ConfigApplied;
import dev.quartet.schemas.ConfigRefused;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.Plane;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Tells the rest of the system what a worker decided: ACK (ConfigApplied) and NACK (ConfigRefused)
 * on the config-acks topic, keyed by worker id so one worker's reports stay in order, and
 * evidence events for refusals and lease transitions. Never a payload or an envelope: versions,
 * digests, reasons and ids only. Sends are asynchronous and bounded by the producer's delivery
 * timeout; a failed send is logged with its ids, since the decision itself already stands.
 */
final class ConfigReports {
  /** Evidence type of a snapshot the worker refused. */
  static final String CONFIG_REFUSED = "config.refused";
  /** Evidence type of a worker losing its lease, its grace or its config's validity. */
  static final String WORKER_DEGRADED = "worker.degraded";
  /** Evidence type of a worker whose lease is valid again. */
  static final String WORKER_RECOVERED = "worker.recovered";
  /** Evidence type of a lease token that points at tampering or a fork. */
  static final String LEASE_TOKEN_REFUSED = "worker.lease-token-refused";
  private static final Logger log = LoggerFactory.getLogger(ConfigReports.class);
  private static final int MAX_DETAIL_CHARS = 500;

  private final Producer<byte[], byte[]> producer;
  private final WorkerIdentity worker;
  private final EventCodec codec = EventCodec.standard();
  private final byte[] ackKey;

  ConfigReports(Producer<byte[], byte[]> producer, WorkerIdentity worker) {
    this.producer = producer;
    this.worker = worker;
    this.ackKey = worker.id().getBytes(StandardCharsets.UTF_8);
  }

  /** Reports {@code e}, decided at {@code now}; {@code after} is the state it led to. */
  void report(WorkerConfigEvent e, WorkerConfigState after, Instant now) {
    String scope = worker.scope().toString();
    if (e instanceof SnapshotApplied a) {
      ConfigSnapshot s = a.snapshot();
      log.info("Config applied worker={} scope={} configVersion={} digest={}", worker.id(), scope, s.version(), s.digest());
      send(TopicCatalog.CONFIG_ACKS, ackKey, ConfigApplied.newBuilder().setWorkerId(worker.id()).setScope(scope)
          .setVersion(s.version()).setDigest(s.digest()).setAppliedAt(a.at()).build(), "ConfigApplied v" + s.version());
    } else if (e instanceof SnapshotRefused r) {
      String reason = bounded(r.reason().name() + ": " + r.detail());
      log.info("Config refused worker={} scope={} configVersion={} digest={} reason={}", worker.id(), scope, r.version(),
          r.digest(), r.reason());
      send(TopicCatalog.CONFIG_ACKS, ackKey, ConfigRefused.newBuilder().setWorkerId(worker.id()).setScope(scope)
          .setVersion(r.version()).setDigest(r.digest()).setReason(reason).setRefusedAt(now).build(), "ConfigRefused v" + r.version());
      evidence(CONFIG_REFUSED, "refused", scope + "@" + r.version(), null, after, now, Map.of("version", Long.toString(r.version()),
          "reason", r.reason().name(), "detail", bounded(r.detail())), Map.of("config-snapshot", r.digest()));
    } else if (e instanceof DegradedModeEntered d) {
      log.warn("Worker degraded worker={} scope={} configVersion={} policy={} since={}", worker.id(), scope, d.version(),
          d.policy().wireName(), d.since());
      evidence(WORKER_DEGRADED, "degraded", workerCorrelation(), d.policy().wireName(), after, now, Map.of("phase", "lease-lapsed",
          "since", d.since().toString(), "grace", d.grace().toString()), Map.of());
    } else if (e instanceof GraceExhausted g) {
      String policy = after.applied().degradedMode().policy().wireName();
      log.warn("Worker grace exhausted worker={} scope={} configVersion={} at={}", worker.id(), scope, g.version(), g.at());
      evidence(WORKER_DEGRADED, "degraded", workerCorrelation(), policy, after, now, Map.of("phase", "grace-exhausted",
          "since", g.at().toString()), Map.of());
    } else if (e instanceof AppliedConfigExpired x) {
      log.error("Applied config expired, admitting nothing until a newer version is published worker={} scope={} configVersion={}",
          worker.id(), scope, x.version());
      evidence(WORKER_DEGRADED, "degraded", workerCorrelation(), after.applied().degradedMode().policy().wireName(), after, now,
          Map.of("phase", "config-expired", "since", x.expiredAt().toString()), Map.of());
    } else if (e instanceof LeaseRecovered r) {
      log.info("Worker recovered worker={} scope={} configVersion={} from={}", worker.id(), scope, r.version(), r.from());
      evidence(WORKER_RECOVERED, "recovered", workerCorrelation(), after.applied().degradedMode().policy().wireName(), after, now,
          Map.of("from", r.from().name()), Map.of());
    } else if (e instanceof LeaseTokenRefused t) {
      if (t.reason().suspicious()) {
        log.warn("Lease token refused worker={} scope={} headVersion={} reason={}", worker.id(), scope, t.headVersion(), t.reason());
        evidence(LEASE_TOKEN_REFUSED, "refused", workerCorrelation(), null, after, now, Map.of("headVersion",
            Long.toString(t.headVersion()), "reason", t.reason().name(), "detail", bounded(t.detail())), Map.of());
      } else {
        log.debug("Lease token not used worker={} headVersion={} reason={}", worker.id(), t.headVersion(), t.reason());
      }
    } else {
      log.debug("Config event worker={} {}", worker.id(), e.getClass().getSimpleName());
    }
  }

  /**
   * Reports that the worker stays below {@code x}'s version because its staged rollout does not
   * target it: a ConfigRefused whose reason starts with {@link CohortExclusion#REASON}, and no
   * evidence — nothing was refused, the version is verified and kept as a link of the chain.
   */
  void reportExclusion(CohortExclusion x, Instant now) {
    String scope = worker.scope().toString();
    log.info("Config not in cohort worker={} scope={} configVersion={} digest={}: {}", worker.id(), scope, x.version(),
        x.digest(), x.detail());
    send(TopicCatalog.CONFIG_ACKS, ackKey, ConfigRefused.newBuilder().setWorkerId(worker.id()).setScope(scope)
        .setVersion(x.version()).setDigest(x.digest()).setReason(bounded(CohortExclusion.REASON + ": " + x.detail()))
        .setRefusedAt(now).build(), "ConfigRefused(" + CohortExclusion.REASON + ") v" + x.version());
  }

  private void evidence(String type, String outcome, String correlationId, String policy, WorkerConfigState after, Instant now,
                        Map<String, String> extra, Map<String, String> artifacts) {
    Map<String, String> attributes = new HashMap<>(extra);
    attributes.put("workerId", worker.id());
    attributes.put("queue", worker.queue().toString());
    attributes.put("scope", worker.scope().toString());
    ConfigSnapshot applied = after.applied();
    EvidenceEvent event = EvidenceEvent.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setType(type)
        .setTenant(worker.scope().tenant())
        .setCorrelationId(correlationId)
        .setConfigVersion(applied == null ? null : applied.version())
        .setConfigDigest(applied == null ? null : applied.digest())
        .setPolicy(policy == null ? null : "degradedMode:" + policy)
        .setApprovals(List.of())
        .setArtifactDigests(artifacts)
        .setOutcome(outcome)
        .setOccurredAt(now)
        .setProducerPlane(Plane.EXECUTION)
        .setProducerVersion(BuildInfo.version())
        .setAttributes(attributes)
        .build();
    send(TopicCatalog.EVIDENCE_EVENTS, correlationId.getBytes(StandardCharsets.UTF_8), event, type);
  }

  private void send(String topic, byte[] key, SpecificRecord event, String what) {
    try {
      producer.send(new ProducerRecord<>(topic, key, codec.encode(event)), (metadata, error) -> {
        if (error != null) {
          log.warn("Not written to {}: {} of worker={}: {}", topic, what, worker.id(), error.toString());
        }
      });
    } catch (RuntimeException e) {
      // send() itself fails only when the producer cannot even queue (closed, or blocked past max.block.ms).
      log.warn("Not written to {}: {} of worker={}: {}", topic, what, worker.id(), e.toString());
    }
  }

  private String workerCorrelation() {
    return "worker/" + worker.id();
  }

  private static String bounded(String text) {
    return text.length() <= MAX_DETAIL_CHARS ? text : text.substring(0, MAX_DETAIL_CHARS);
  }
}

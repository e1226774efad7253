package dev.quartet.execution;

import dev.quartet.contracts.topics.TopicCatalog;
import dev.quartet.contracts.topics.TopicProvisioner;
import dev.quartet.contracts.topics.TopicProvisioningConfig;
import dev.quartet.execution.domain.WorkerIdentity;
import dev.quartet.execution.domain.WorkerQueue;
import dev.quartet.execution.kafka.WorkerPresence;
import dev.quartet.harness.FreePorts;
import dev.quartet.harness.Infrastructure;
import dev.quartet.harness.QuartetIntegration;
import dev.quartet.runtime.KafkaSettings;
import dev.quartet.schemas.WorkerHeartbeat;
import dev.quartet.schemas.WorkerRegistered;
import dev.quartet.schemas.WorkerState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A worker's registration and heartbeats on the real broker, as the control plane's registry reads them. */
@QuartetIntegration
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerPresenceIT {
  private static final Duration HEARTBEAT = Duration.ofMillis(200);
  private static final Duration FULL = Duration.ofMillis(1000);
  private static final Duration CLOSE = Duration.ofSeconds(5);
  private String bootstrap;
  private TopicRecorder recorder;

  @BeforeAll
  void setUp(Infrastructure infra) {
    bootstrap = infra.kafkaBootstrap();
    // Workers never create topics; in production a plane's TopicBootstrap has, here the test does.
    TopicProvisioner.provision(bootstrap, TopicCatalog.forBrokers(1), TopicProvisioningConfig.DEFAULTS);
    recorder = new TopicRecorder(bootstrap, List.of(TopicCatalog.WORKER_REGISTRATIONS, TopicCatalog.WORKER_HEARTBEATS));
  }

  @AfterAll
  void tearDown() {
    if (recorder != null) {
      recorder.close();
    }
  }

  private static KafkaSettings kafka(String servers) {
    return new KafkaSettings(servers, 1, Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void registersOnceThenSendsLightHeartbeatsAndFullOnesOnTheirOwnCadence(Infrastructure infra) {
    String id = infra.unique("worker");
    var identity = new WorkerIdentity(id, WorkerQueue.parse("acme/dev/main"), Map.of("zone", "a"));
    var report = new AtomicReference<>(new WorkerPresence.Report(WorkerState.READY, 0, null, null));
    try (WorkerPresence presence = WorkerPresence.start(kafka(bootstrap), identity, 8, report::get,
        new WorkerPresence.Cadence(HEARTBEAT, FULL, CLOSE), Clock.systemUTC())) {
      WorkerRegistered registered = recorder.awaitFirst("registration of " + id, WorkerRegistered.class,
          r -> r.getWorkerId().equals(id));
      assertEquals("acme/dev/main", registered.getQueue());
      assertEquals(Map.of("zone", "a"), registered.getLabels());
      assertEquals(8, registered.getCapacity());
      await("registration acknowledged").atMost(Duration.ofSeconds(20)).until(presence::registered);

      WorkerHeartbeat first = recorder.awaitFirst("first heartbeat of " + id, WorkerHeartbeat.class, h -> h.getWorkerId().equals(id));
      assertTrue(first.getFull(), "the first heartbeat is full, so capacity and config are known at once");
      assertEquals(8, first.getCapacity());
      assertNull(first.getAppliedConfigVersion(), "no config applied yet");

      report.set(new WorkerPresence.Report(WorkerState.BUSY, 3, 4L, "c".repeat(64)));
      WorkerHeartbeat light = recorder.awaitFirst("a light BUSY heartbeat", WorkerHeartbeat.class,
          h -> h.getWorkerId().equals(id) && h.getState() == WorkerState.BUSY && !h.getFull());
      assertEquals(3, light.getTaskCount());
      assertNull(light.getCapacity(), "a light heartbeat carries state and task count only");
      WorkerHeartbeat full = recorder.awaitFirst("a full BUSY heartbeat", WorkerHeartbeat.class,
          h -> h.getWorkerId().equals(id) && h.getState() == WorkerState.BUSY && h.getFull());
      assertEquals(4L, full.getAppliedConfigVersion());
      assertEquals("c".repeat(64), full.getAppliedConfigDigest());

      List<WorkerHeartbeat> beats = recorder.matching(WorkerHeartbeat.class, h -> h.getWorkerId().equals(id));
      long fulls = beats.stream().filter(WorkerHeartbeat::getFull).count();
      assertTrue(beats.size() > fulls, "mostly light heartbeats: " + fulls + " full of " + beats.size());
    }
    assertEquals(1, recorder.matching(WorkerRegistered.class, r -> r.getWorkerId().equals(id)).size(), "registered exactly once");
    int atClose = recorder.matching(WorkerHeartbeat.class, h -> h.getWorkerId().equals(id)).size();
    // Absence needs a window: a few heartbeat intervals with nothing new after close().
    await("no heartbeat after close").during(HEARTBEAT.multipliedBy(5)).atMost(Duration.ofSeconds(10)).until(() -> {
      recorder.awaitFirst("one more poll of the topics", Object.class, o -> true);  // polls once, returns at once
      return recorder.matching(WorkerHeartbeat.class, h -> h.getWorkerId().equals(id)).size() == atClose;
    });
  }

  @Test
  void neverBlocksItsCallerWhenKafkaIsUnreachable(Infrastructure infra) {
    var identity = new WorkerIdentity(infra.unique("worker"), WorkerQueue.parse("acme/dev/main"), Map.of());
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      WorkerPresence presence = WorkerPresence.start(kafka("127.0.0.1:" + FreePorts.any()), identity, 1,
          () -> new WorkerPresence.Report(WorkerState.READY, 0, null, null), new WorkerPresence.Cadence(HEARTBEAT, FULL, CLOSE),
          Clock.systemUTC());
      assertFalse(presence.registered(), "nothing can be acknowledged without a broker");
      presence.close();
    }, "start and close return within their bounds without a broker");
  }
}

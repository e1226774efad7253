package dev.quartet.runtime;

import dev.quartet.contracts.Plane;
import dev.quartet.schemas.EvidenceEvent;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Records a {@code PlaneStarted} evidence event for every plane this process runs, once its HTTP
 * server is up. Start-up fails if evidence cannot be written: a plane that cannot leave a record
 * of itself must not look healthy.
 */
@Singleton
public class PlaneAnnouncer implements ApplicationEventListener<ServerStartupEvent> {
  /** Evidence type recorded when a plane starts. */
  public static final String PLANE_STARTED = "PlaneStarted";
  private static final Logger log = LoggerFactory.getLogger(PlaneAnnouncer.class);

  private final EvidenceEmitter emitter;
  private final Environment environment;
  private final KafkaSettings kafka;
  private final TopicBootstrap topics;
  private final Clock clock = Clock.systemUTC();
  private final String instanceId = UUID.randomUUID().toString();

  PlaneAnnouncer(EvidenceEmitter emitter, Environment environment, KafkaSettings kafka, TopicBootstrap topics) {
    this.emitter = emitter;
    this.environment = environment;
    this.kafka = kafka;
    this.topics = topics;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    List<Plane> planes = Arrays.stream(Plane.values())
        .filter(p -> environment.getActiveNames().contains(p.id()))
        .toList();
    CompletableFuture<?>[] sends = planes.stream()
        .map(p -> emitter.emit(planeStarted(p)))
        .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(sends).get(kafka.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
      log.info("PlaneStarted recorded for {} (instance {}, topic drift: {})", planes, instanceId, topics.drift().size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording PlaneStarted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot record PlaneStarted evidence for " + planes, e);
    }
  }

  private EvidenceEvent planeStarted(Plane plane) {
    return EvidenceEvent.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setType(PLANE_STARTED)
        .setTenant("system")
        .setCorrelationId(instanceId)
        .setOutcome("STARTED")
        .setOccurredAt(clock.instant())
        .setExecutionId(null)
        .setApprovals(List.of())
        .setArtifactDigests(Map.of())
        .setProducerPlane(dev.quartet.schemas.Plane.valueOf(plane.name()))
        .setProducerVersion(BuildInfo.version())
        .setAttributes(Map.of("instance", instanceId, "pid", Long.toString(ProcessHandle.current().pid())))
        .build();
  }
}

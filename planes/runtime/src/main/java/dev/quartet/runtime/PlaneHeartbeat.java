package dev.quartet.runtime;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.evidence.EvidenceGapEvents;
import dev.quartet.contracts.evidence.EvidenceSource;
import dev.quartet.contracts.evidence.PlaneLiveness;
import dev.quartet.schemas.EvidenceEvent;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Records a {@code plane.heartbeat} evidence event for every plane of this process each heartbeat
 * interval, from the moment the HTTP server is up, and {@code plane.stopped} on an orderly stop,
 * so the evidence plane can tell a plane that went silent (a gap) from one that was stopped.
 */
@Singleton
public class PlaneHeartbeat implements ApplicationEventListener<ServerStartupEvent>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlaneHeartbeat.class);

  private final EvidenceEmitter emitter;
  private final EvidenceClientProperties properties;
  private final List<Plane> planes;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "plane-heartbeat");
    t.setDaemon(true);
    return t;
  });
  private boolean started;

  PlaneHeartbeat(EvidenceEmitter emitter, EvidenceClientProperties properties, Environment environment) {
    this.emitter = emitter;
    this.properties = properties;
    this.planes = Arrays.stream(Plane.values()).filter(p -> environment.getActiveNames().contains(p.id())).toList();
  }

  @Override
  public synchronized void onApplicationEvent(ServerStartupEvent event) {
    if (started || planes.isEmpty()) {
      return;
    }
    started = true;
    long every = properties.heartbeatInterval().toMillis();
    scheduler.scheduleAtFixedRate(this::beat, 0, every, TimeUnit.MILLISECONDS);
    log.info("Heartbeating {} as {} every {}", planes, emitter.producerId(), properties.heartbeatInterval());
  }

  private void beat() {
    for (Plane p : planes) {
      // Best effort: a heartbeat that cannot be written is buffered or counted like other evidence,
      // and its absence is exactly what the evidence plane is meant to notice.
      emitter.emitBestEffort(event(p, PlaneLiveness.HEARTBEAT, "alive"));
    }
  }

  @Override
  @PreDestroy
  public synchronized void close() {
    scheduler.shutdownNow();
    if (!started) {
      return;
    }
    started = false;
    CompletableFuture<?>[] stops = planes.stream()
        .map(p -> emitter.emitBestEffort(event(p, PlaneLiveness.STOPPED, "stopped")))
        .toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(stops).get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // The evidence plane then sees silence and records a gap: the truth about an unrecorded stop.
      log.warn("plane.stopped not recorded for {}: {}", planes, e.toString());
    }
  }

  private EvidenceEvent event(Plane plane, String type, String outcome) {
    String producerId = emitter.producerId();
    return EvidenceGapEvents.system(type, outcome, "plane/" + plane.id() + "/" + producerId, clock.instant(),
        Map.of(PlaneLiveness.PRODUCER_ID, producerId, PlaneLiveness.INTERVAL, properties.heartbeatInterval().toString()),
        new EvidenceSource(plane, producerId, BuildInfo.version()));
  }
}

package dev.quartet.runtime;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.evidence.EvidenceClientStatus;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Readiness detail of each plane's evidence client: state, buffered and dropped counts. Stays UP
 * while buffering (best-effort work may go on; required work is refused by the client itself).
 */
@Singleton
@Readiness
public class EvidenceClientHealth implements HealthIndicator {
  private final EvidenceEmitter emitter;

  EvidenceClientHealth(EvidenceEmitter emitter) {
    this.emitter = emitter;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    Map<String, Object> details = new LinkedHashMap<>();
    for (Map.Entry<Plane, EvidenceClientStatus> e : emitter.status().entrySet()) {
      EvidenceClientStatus s = e.getValue();
      details.put(e.getKey().id(), Map.of("state", s.state().name(), "bufferedEvents", s.bufferedEvents(),
          "bufferedBytes", s.bufferedBytes(), "droppedEvents", s.droppedEvents(), "gapsWritten", s.gapsWritten()));
    }
    return Publishers.just(HealthResult.builder("evidenceClient", HealthStatus.UP).details(details).build());
  }
}

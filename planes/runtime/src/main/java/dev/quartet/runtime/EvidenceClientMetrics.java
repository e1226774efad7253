package dev.quartet.runtime;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.evidence.EvidenceClientStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

import java.util.function.ToDoubleFunction;

/**
 * Gauges of each plane's evidence client: {@code quartet.evidence.client.state} (0 direct,
 * 1 buffering, 2 flushing), {@code .buffered.events}, {@code .buffered.bytes},
 * {@code .dropped.events} and {@code .gaps.written}, tagged with the plane.
 */
@Singleton
public class EvidenceClientMetrics implements MeterBinder {
  private final EvidenceEmitter emitter;

  EvidenceClientMetrics(EvidenceEmitter emitter) {
    this.emitter = emitter;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Plane plane : emitter.status().keySet()) {
      gauge(registry, plane, "state", s -> s.state().ordinal());
      gauge(registry, plane, "buffered.events", EvidenceClientStatus::bufferedEvents);
      gauge(registry, plane, "buffered.bytes", EvidenceClientStatus::bufferedBytes);
      gauge(registry, plane, "dropped.events", EvidenceClientStatus::droppedEvents);
      gauge(registry, plane, "gaps.written", EvidenceClientStatus::gapsWritten);
    }
  }

  private void gauge(MeterRegistry registry, Plane plane, String name, ToDoubleFunction<EvidenceClientStatus> value) {
    Gauge.builder("quartet.evidence.client." + name, emitter, e -> {
      EvidenceClientStatus s = e.status().get(plane);
      return s == null ? Double.NaN : value.applyAsDouble(s);
    }).tag("plane", plane.id()).register(registry);
  }
}

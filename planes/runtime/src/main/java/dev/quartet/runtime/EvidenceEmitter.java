package dev.quartet.runtime;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.evidence.EvidenceClient;
import dev.quartet.contracts.evidence.EvidenceClientStatus;
import dev.quartet.contracts.evidence.EvidenceDelivery;
import dev.quartet.contracts.evidence.EvidenceSource;
import dev.quartet.schemas.EvidenceEvent;
import io.micronaut.context.env.Environment;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends evidence events to the evidence input topic, keyed by correlation id so one
 * correlation's events stay in order, through one {@link EvidenceClient} per producing plane
 * (chosen by the event's producer plane), so each plane's evidence buffers and reports its gaps
 * on its own. Never carries payload content: the event type has no field for it.
 */
@Singleton
public class EvidenceEmitter implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final EvidenceClientProperties properties;
  private final Clock clock = Clock.systemUTC();
  private final Map<Plane, EvidenceClient> clients = new EnumMap<>(Plane.class);
  private boolean closed;

  EvidenceEmitter(Producer<byte[], byte[]> producer, EvidenceClientProperties properties, Environment environment) {
    this.producer = producer;
    this.properties = properties;
    for (Plane p : Plane.values()) {
      if (environment.getActiveNames().contains(p.id())) {
        client(p);  // at start, so a buffer left by a previous run is reported without waiting for evidence
      }
    }
  }

  /**
   * Completes when the event is durably acknowledged (acks=all), or fails with the cause — at once
   * while the plane's evidence is known to be unwritable. The same as {@link #emitRequired}.
   */
  public CompletableFuture<RecordMetadata> emit(EvidenceEvent event) {
    return emitRequired(event);
  }

  /**
   * For evidence-required work: completes when durably written, fails (with an
   * {@code EvidenceUnavailableException}) otherwise; the caller must then fail closed.
   */
  public CompletableFuture<RecordMetadata> emitRequired(EvidenceEvent event) {
    try {
      return clientOf(event).emitRequired(event);
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * For other work: written, or buffered locally (encrypted, bounded) while the topic is
   * unwritable and flushed after a gap event, or dropped and counted when the buffer is full.
   */
  public CompletableFuture<EvidenceDelivery> emitBestEffort(EvidenceEvent event) {
    try {
      return clientOf(event).emit(event);
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Each started plane client's state and counters, for health and metrics. */
  public synchronized Map<Plane, EvidenceClientStatus> status() {
    Map<Plane, EvidenceClientStatus> status = new EnumMap<>(Plane.class);
    clients.forEach((plane, client) -> status.put(plane, client.status()));
    return status;
  }

  /** This instance's name in evidence (gaps, heartbeats). */
  public String producerId() {
    return properties.instanceName();
  }

  @Override
  @PreDestroy
  public synchronized void close() {
    closed = true;
    clients.values().forEach(EvidenceClient::close);
    clients.clear();
  }

  private EvidenceClient clientOf(EvidenceEvent event) {
    return client(Plane.valueOf(event.getProducerPlane().name()));
  }

  private synchronized EvidenceClient client(Plane plane) {
    if (closed) {
      throw new IllegalStateException("evidence emitter closed");
    }
    return clients.computeIfAbsent(plane, p -> EvidenceClient.start(producer, properties.settingsFor(p),
        new EvidenceSource(p, properties.instanceName(), BuildInfo.version()), clock));
  }
}

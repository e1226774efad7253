package dev.quartet.runtime;

import dev.quartet.contracts.Plane;
import dev.quartet.contracts.evidence.EvidenceClient;
import dev.quartet.contracts.evidence.EvidenceClientStatus;
import dev.quartet.contracts.evidence.EvidenceDelivery;
import dev.quartet.contracts.evidence.EvidenceSource;
import dev.quartet.contracts.evidence.HttpOpeningDeposit;
import dev.quartet.contracts.evidence.OpeningCourier;
import dev.quartet.contracts.evidence.RedactedEvent;
import dev.quartet.contracts.evidence.Redaction;
import dev.quartet.schemas.EvidenceEvent;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Sends evidence events to the evidence input topic, keyed by correlation id so one
 * correlation's events stay in order, through one {@link EvidenceClient} per producing plane
 * (chosen by the event's producer plane), so each plane's evidence buffers and reports its gaps
 * on its own. Never carries payload content: the event type has no field for it. Sensitive
 * attributes are committed before encoding and their openings deposited at the evidence plane
 * (see {@link #emitRequired(EvidenceEvent, Set)}).
 */
@Singleton
public class EvidenceEmitter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EvidenceEmitter.class);
  private final Producer<byte[], byte[]> producer;
  private final EvidenceClientProperties properties;
  private final RedactionDeliveryProperties redaction;
  private final Environment environment;
  private final BeanProvider<EmbeddedServer> server;
  private final Clock clock = Clock.systemUTC();
  private final SecureRandom salts = new SecureRandom();
  private final Map<Plane, EvidenceClient> clients = new EnumMap<>(Plane.class);
  private final OpeningCourier openings;
  private boolean closed;

  EvidenceEmitter(Producer<byte[], byte[]> producer, EvidenceClientProperties properties, Environment environment,
                  RedactionDeliveryProperties redaction, DepositorCredential depositor, BeanProvider<EmbeddedServer> server) {
    this.producer = producer;
    this.properties = properties;
    this.redaction = redaction;
    this.environment = environment;
    this.server = server;
    this.openings = new OpeningCourier(new HttpOpeningDeposit(this::evidenceUrl, depositor::bearer,
        redaction.connectTimeout(), redaction.requestTimeout()), redaction.deliverySettings(), this::emitBestEffort, clock);
    if (blank(redaction.evidenceUrl()) && !environment.getActiveNames().contains(Plane.EVIDENCE.id())) {
      log.warn("No evidence plane URL (quartet.evidence-client.redaction.evidence-url): openings of redacted evidence "
          + "cannot be deposited and will be recorded as lost");
    }
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

  /** {@link #emitRequired(EvidenceEvent)} with {@code sensitive} attributes committed first; openings are deposited once written, else discarded. */
  public CompletableFuture<RecordMetadata> emitRequired(EvidenceEvent event, Set<String> sensitive) {
    return emitRedacted(event, sensitive, this::emitRequired, at -> true);
  }

  /** {@link #emitBestEffort(EvidenceEvent)} with {@code sensitive} attributes committed; openings deposited unless the event was dropped. */
  public CompletableFuture<EvidenceDelivery> emitBestEffort(EvidenceEvent event, Set<String> sensitive) {
    return emitRedacted(event, sensitive, this::emitBestEffort, delivery -> !(delivery instanceof EvidenceDelivery.Dropped));
  }

  /** Commits the sensitive attributes, emits the committed event, and hands its openings to the courier once {@code written}. */
  private <T> CompletableFuture<T> emitRedacted(EvidenceEvent event, Set<String> sensitive,
                                                Function<EvidenceEvent, CompletableFuture<T>> emit, Predicate<T> written) {
    RedactedEvent redacted;
    try {
      redacted = Redaction.redact(event, sensitive, salts);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return emit.apply(redacted.event()).whenComplete((outcome, error) -> {
      if (error == null && written.test(outcome)) {
        openings.deliver(redacted);
      }
    });
  }

  /** Openings of redacted events waiting for delivery to the evidence plane, for health and metrics. */
  public int pendingOpenings() {
    return openings.pendingEvents();
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
  public void close() {
    openings.close();  // first: it records what it could not deliver through the clients
    synchronized (this) {
      closeClients();
    }
  }

  private void closeClients() {
    closed = true;
    clients.values().forEach(EvidenceClient::close);
    clients.clear();
  }

  /** The configured evidence plane, else this process's own server while it runs the evidence plane. */
  private Optional<URI> evidenceUrl() {
    if (!blank(redaction.evidenceUrl())) {
      return Optional.of(URI.create(redaction.evidenceUrl().trim()));
    }
    if (!environment.getActiveNames().contains(Plane.EVIDENCE.id()) || !server.isPresent()) {
      return Optional.empty();
    }
    EmbeddedServer s = server.get();
    try {
      return s.isRunning() ? Optional.of(s.getURL().toURI()) : Optional.empty();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("this process's server URL is no URI", e);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
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

package dev.quartet.evidence.api;

import dev.quartet.contracts.ProblemType;
import dev.quartet.evidence.config.EvidenceIndexSettings;
import dev.quartet.evidence.domain.EvidenceQuery;
import dev.quartet.evidence.domain.IndexedEvidence;
import dev.quartet.evidence.store.EvidenceIndexStore;
import dev.quartet.runtime.InvalidRequestException;
import dev.quartet.runtime.OverloadedException;
import dev.quartet.runtime.ProblemException;
import dev.quartet.runtime.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Auditors' read side of the evidence index: queries and a live tail. */
@Controller("/v1/evidence")
@Secured({Roles.ADMIN, Roles.AUDITOR})
public class EvidenceController {
  private final EvidenceIndexStore store;
  private final EvidenceIndexSettings settings;
  private final AtomicInteger openTails = new AtomicInteger();

  EvidenceController(EvidenceIndexStore store, EvidenceIndexSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  /** Events by time range, correlation id, execution id, type or tenant; paged by {@code after}. */
  @Get("/events{?from,to,correlation,execution,type,tenant,after,limit}")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public EvidencePage events(Authentication who, @Nullable @QueryValue String from, @Nullable @QueryValue String to,
                             @Nullable @QueryValue String correlation, @Nullable @QueryValue String execution,
                             @Nullable @QueryValue String type, @Nullable @QueryValue String tenant,
                             @Nullable @QueryValue Long after, @Nullable @QueryValue Integer limit) {
    int pageSize = limit == null ? settings.maxPageSize() : limit;
    if (pageSize < 1 || pageSize > settings.maxPageSize()) {
      throw new InvalidRequestException("limit must be between 1 and " + settings.maxPageSize());
    }
    EvidenceQuery query = query(instant("from", from), instant("to", to), correlation, execution, type,
        scopedTenant(who, tenant), after == null ? 0 : after, pageSize);
    List<IndexedEvidence> page = store.find(query);
    Long next = page.size() == pageSize ? page.get(page.size() - 1).seq() : null;
    return new EvidencePage(page.stream().map(EvidenceView::of).toList(), next);
  }

  /** One indexed event by id, with its correction links; an event of another tenant answers like an unknown one. */
  @Get("/events/{id}")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public EvidenceView event(Authentication who, @PathVariable String id) {
    return store.byId(id).filter(e -> TenantScope.allows(who, e.tenant())).map(EvidenceView::of)
        .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no indexed evidence event " + id));
  }

  /** Server-sent events: every event indexed after {@code after} (default: from now on). */
  @Get(value = "/tail{?after}", produces = MediaType.TEXT_EVENT_STREAM)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public Publisher<Event<EvidenceView>> tail(Authentication who, @Nullable @QueryValue Long after) {
    if (openTails.incrementAndGet() > settings.maxTailStreams()) {
      openTails.decrementAndGet();
      throw new OverloadedException("evidence tail streams (" + settings.maxTailStreams() + ")", Duration.ofSeconds(5));
    }
    String tenant = scopedTenant(who, null);
    AtomicLong cursor = new AtomicLong(after == null ? store.lastSeq() : after);
    return Flux.interval(Duration.ZERO, settings.tailPollInterval())
        .onBackpressureDrop()
        .concatMap(tick -> Mono.fromCallable(() -> store.find(
                query(null, null, null, null, null, tenant, cursor.get(), settings.maxPageSize())))
            .subscribeOn(Schedulers.boundedElastic())
            .flatMapIterable(page -> page), 1)
        .doOnNext(e -> cursor.set(e.seq()))
        .map(e -> Event.of(EvidenceView.of(e)).id(Long.toString(e.seq())))
        .doFinally(signal -> openTails.decrementAndGet());
  }

  private static String scopedTenant(Authentication who, String requested) {
    return TenantScope.of(who, requested);
  }

  private static EvidenceQuery query(Instant from, Instant to, String correlation, String execution, String type,
                                     String tenant, long after, int limit) {
    try {
      return new EvidenceQuery(from, to, correlation, execution, type, tenant, after, limit);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
  }

  private static Instant instant(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, was " + value);
    }
  }
}

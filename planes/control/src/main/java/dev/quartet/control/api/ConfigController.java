package dev.quartet.control.api;

import dev.quartet.contracts.ProblemType;
import dev.quartet.control.ConfigPublisher;
import dev.quartet.control.config.ControlSettings;
import dev.quartet.contracts.ConfigScope;
import dev.quartet.control.domain.ConfigBodySchema;
import dev.quartet.control.domain.RejectionReason;
import dev.quartet.control.store.ConfigVersionStore;
import dev.quartet.runtime.ProblemException;
import dev.quartet.runtime.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;

import java.util.List;

/** Admins publish signed configuration versions and read them back. */
@Controller("/v1/config")
@Secured(Roles.ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConfigController {
  private final ConfigPublisher publisher;
  private final ConfigVersionStore store;
  private final ControlSettings settings;

  ConfigController(ConfigPublisher publisher, ConfigVersionStore store, ControlSettings settings) {
    this.publisher = publisher;
    this.store = store;
    this.settings = settings;
  }

  /** Publishes a DSSE envelope holding the next version of its scope. */
  @Post(value = "/snapshots", consumes = {MediaType.APPLICATION_JSON, "application/vnd.dsse.envelope.v1+json"})
  public HttpResponse<PublishedView> publish(Authentication who, @Body byte[] envelope) {
    ConfigPublisher.Outcome outcome = publisher.publish(envelope, who.getName());
    if (!outcome.accepted()) {
      throw new ProblemException(problemOf(outcome.reason()), outcome.reason().name() + ": " + outcome.detail());
    }
    var s = outcome.snapshot();
    return HttpResponse.<PublishedView>status(HttpStatus.CREATED)
        .body(new PublishedView(s.scope().toString(), s.version(), s.digest()));
  }

  /** The published JSON Schema (draft 2020-12) every configuration body is validated against. */
  @Get(value = "/schema", produces = "application/schema+json")
  @Secured({Roles.ADMIN, Roles.AUDITOR})
  public byte[] schema() {
    return ConfigBodySchema.document();
  }

  /** The scope's head, or one version of it. */
  @Get("/snapshots/{tenant}/{environment}{?version}")
  public ConfigVersionView get(Authentication who, @PathVariable String tenant, @PathVariable String environment,
                               @Nullable @QueryValue Long version) {
    ConfigScope scope = visibleScope(who, tenant, environment);
    return store.find(scope, version).map(ConfigVersionView::of)
        .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
            "no " + (version == null ? "version" : "version " + version) + " of " + scope));
  }

  /** The scope's versions, newest first. */
  @Get("/history/{tenant}/{environment}")
  public List<ConfigVersionView> history(Authentication who, @PathVariable String tenant, @PathVariable String environment) {
    return store.history(visibleScope(who, tenant, environment), settings.historyLimit()).stream()
        .map(ConfigVersionView::of).toList();
  }

  /** Another tenant's scope answers as missing, never with its content. */
  private static ConfigScope visibleScope(Authentication who, String tenant, String environment) {
    ConfigScope scope;
    try {
      scope = new ConfigScope(tenant, environment);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.VALIDATION, e.getMessage());
    }
    Object allowed = who.getAttributes().get(Roles.TENANT_ATTRIBUTE);
    if (allowed != null && !"*".equals(allowed) && !allowed.equals(tenant)) {
      throw new ProblemException(ProblemType.NOT_FOUND, "no version of " + scope);
    }
    return scope;
  }

  private static ProblemType problemOf(RejectionReason reason) {
    return switch (reason) {
      case TOO_LARGE -> ProblemType.PAYLOAD_TOO_LARGE;
      case MALFORMED, EXPIRED, NOT_YET_VALID -> ProblemType.VALIDATION;
      case UNKNOWN_KEY, BAD_SIGNATURE, THRESHOLD_NOT_MET -> ProblemType.FORBIDDEN;
      case VERSION_NOT_NEXT, PARENT_MISMATCH, CONFLICT -> ProblemType.CONFLICT;
      case TRUST_EXPIRED -> ProblemType.UNAVAILABLE;
    };
  }
}

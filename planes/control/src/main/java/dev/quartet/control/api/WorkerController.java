package dev.quartet.control.api;

import dev.quartet.contracts.ProblemType;
import dev.quartet.control.config.WorkerRegistrySettings;
import dev.quartet.control.store.WorkerRegistryStore;
import dev.quartet.runtime.ApiTokenClaims;
import dev.quartet.runtime.ProblemException;
import dev.quartet.runtime.Roles;
import dev.quartet.runtime.TenantScope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** The worker registry: who serves which queue, and whether each is still heard from. */
@Controller("/v1/workers")
@Secured({Roles.ADMIN, Roles.AUDITOR})
@ExecuteOn(TaskExecutors.BLOCKING)
public class WorkerController {
  /** {@code tenant}, {@code tenant/environment} or {@code tenant/environment/queue}. */
  static final Pattern QUEUE_FILTER = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}(/[a-z0-9][a-z0-9-]{0,62}){0,2}");
  private final WorkerRegistryStore store;
  private final WorkerRegistrySettings settings;
  private final Clock clock = Clock.systemUTC();

  WorkerController(WorkerRegistryStore store, WorkerRegistrySettings settings) {
    this.store = store;
    this.settings = settings;
  }

  /** Workers the caller's tenant may see, optionally of one queue or of the queues under a tenant/environment prefix. */
  @Get("{?queue}")
  public List<WorkerView> list(Authentication who, @Nullable @QueryValue String queue) {
    if (queue != null && !QUEUE_FILTER.matcher(queue).matches()) {
      throw new ProblemException(ProblemType.VALIDATION, "queue must be tenant, tenant/environment or tenant/environment/queue");
    }
    String tenant = TenantScope.tenantOf(who);
    boolean all = ApiTokenClaims.ALL_TENANTS.equals(tenant);
    if (tenant.isEmpty() || (queue != null && !TenantScope.permits(who, queue.split("/", 2)[0]))) {
      return List.of();  // another tenant's workers look like no workers, never like a refusal that confirms them
    }
    Instant now = clock.instant();
    return store.list(all ? null : tenant, queue, settings.listLimit()).stream()
        .map(w -> WorkerView.of(w, settings.liveness(), now)).toList();
  }
}

package dev.quartet.control.api;

import dev.quartet.contracts.ConfigScope;
import dev.quartet.contracts.ProblemType;
import dev.quartet.control.RolloutWatcher;
import dev.quartet.control.config.WorkerRegistrySettings;
import dev.quartet.control.domain.ConfigHead;
import dev.quartet.control.store.ConfigReportStore;
import dev.quartet.control.store.ConfigVersionStore;
import dev.quartet.runtime.ProblemException;
import dev.quartet.runtime.Roles;
import dev.quartet.runtime.TenantScope;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;

import java.time.Clock;
import java.time.Instant;

/** How far a scope's workers are on its configuration: the head, each worker's newest ACK and NACK, and the head's rollout. */
@Controller("/v1/config/status")
@Secured({Roles.ADMIN, Roles.AUDITOR})
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConfigStatusController {
  private final ConfigVersionStore versions;
  private final ConfigReportStore reports;
  private final WorkerRegistrySettings settings;
  private final RolloutWatcher rollouts;
  private final Clock clock = Clock.systemUTC();

  ConfigStatusController(ConfigVersionStore versions, ConfigReportStore reports, WorkerRegistrySettings settings,
                         RolloutWatcher rollouts) {
    this.versions = versions;
    this.reports = reports;
    this.settings = settings;
    this.rollouts = rollouts;
  }

  /** The status of {@code scope} ({@code tenant/environment}); another tenant's scope answers as missing. */
  @Get("{?scope}")
  public ConfigStatusView status(Authentication who, @QueryValue String scope) {
    ConfigScope parsed;
    try {
      parsed = ConfigScope.parse(scope);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.VALIDATION, e.getMessage());
    }
    if (!TenantScope.permits(who, parsed.tenant())) {
      throw new ProblemException(ProblemType.NOT_FOUND, "no status of " + parsed);
    }
    ConfigHead head = versions.head(parsed).orElse(null);
    Instant now = clock.instant();
    return new ConfigStatusView(parsed.toString(), head == null ? null : head.version(), head == null ? null : head.digest(),
        reports.status(parsed, settings.listLimit()).stream()
            .map(s -> WorkerConfigView.of(s, head, settings.liveness(), now)).toList(),
        rollouts.status(parsed).map(RolloutView::of).orElse(null));
  }
}

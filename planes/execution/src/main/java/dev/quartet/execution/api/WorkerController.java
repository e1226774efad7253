package dev.quartet.execution.api;

import dev.quartet.execution.domain.ConfigSnapshot;
import dev.quartet.execution.domain.WorkerConfigState;
import dev.quartet.execution.kafka.WorkerConfigAgent;
import dev.quartet.runtime.Roles;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;

/** The in-process worker's state, read-only; exists only when the plane runs a worker. */
@Controller("/v1/workers")
@Secured(Roles.ADMIN)
@Requires(beans = WorkerConfigAgent.class)
public class WorkerController {
  private final WorkerConfigAgent agent;

  WorkerController(WorkerConfigAgent agent) {
    this.agent = agent;
  }

  /** Identity, status, admission and the applied config version + digest of this process's worker. */
  @Get("/self")
  public WorkerView self() {
    WorkerConfigState s = agent.state();
    ConfigSnapshot applied = s.applied();
    var id = agent.identity();
    return new WorkerView(id.id(), id.queue().toString(), id.labels(), agent.status().name(), agent.admitting(), agent.caughtUp(),
        applied == null ? null : applied.version(), applied == null ? null : applied.digest(),
        applied == null ? null : applied.degradedMode().policy().wireName(),
        s.leaseExpiresAt() == null ? null : s.leaseExpiresAt().toString(), s.pending().size());
  }
}

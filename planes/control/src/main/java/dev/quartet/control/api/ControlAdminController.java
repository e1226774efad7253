package dev.quartet.control.api;

import dev.quartet.contracts.ProblemType;
import dev.quartet.control.store.ConfigProjectionRebuild;
import dev.quartet.runtime.ProblemException;
import dev.quartet.runtime.Roles;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.util.List;

/**
 * The control plane's part of {@code quartet admin rebuild}: {@code POST /v1/config/admin/rebuild}
 * (under the control plane's ingress prefix) replaces the config projection from the config topic.
 */
@Controller("/v1/config/admin")
@Secured(Roles.ADMIN)
public class ControlAdminController {
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);
  private final ConfigProjectionRebuild rebuild;

  ControlAdminController(ConfigProjectionRebuild rebuild) {
    this.rebuild = rebuild;
  }

  /** Rebuilds {@code control.config_versions}; the answer has the rebuild contract's shape. */
  @Post("/rebuild")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public RebuildView rebuild() {
    try {
      ConfigProjectionRebuild.Outcome o = rebuild.rebuild(READ_TIMEOUT);
      return new RebuildView("control", List.of("config_versions"), o.records(), o.rows(), 0, o.tookMillis(), List.of());
    } catch (IllegalStateException e) {
      throw new ProblemException(ProblemType.UNAVAILABLE, e.getMessage() + "; the projection is unchanged");
    }
  }

  /** What a rebuild did, as {@code quartet admin rebuild} prints it. */
  @Serdeable
  public record RebuildView(String plane, List<String> projections, long records, long rows, long expired, long tookMillis,
                            List<Object> partitions) {}
}

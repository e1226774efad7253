package dev.quartet.evidence.api;

import dev.quartet.contracts.ProblemType;
import dev.quartet.evidence.domain.ProjectionRebuild;
import dev.quartet.evidence.kafka.ProjectionRebuilder;
import dev.quartet.runtime.ProblemException;
import dev.quartet.runtime.Roles;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Administration of the evidence plane's projections. {@code POST /v1/evidence/admin/rebuild}
 * follows the contract {@code POST /v1/<plane>/admin/rebuild} (ADMIN only, synchronous, answers
 * a {@link RebuildView}), so other planes add theirs and {@code quartet admin rebuild} calls each.
 */
@Controller("/v1/evidence/admin")
@Secured(Roles.ADMIN)
public class AdminController {
  private static final Logger log = LoggerFactory.getLogger(AdminController.class);
  private final ProjectionRebuilder rebuilder;

  AdminController(ProjectionRebuilder rebuilder) {
    this.rebuilder = rebuilder;
  }

  /** Drops the evidence index and rebuilds it from the evidence topic; the Merkle log is checked, not rebuilt. */
  @Post("/rebuild")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public RebuildView rebuild(Authentication who) {
    log.info("Rebuild of the evidence projections requested by {}", who.getName());
    long start = System.nanoTime();
    try {
      ProjectionRebuild done = rebuilder.rebuild();
      return RebuildView.of(done, (System.nanoTime() - start) / 1_000_000);
    } catch (ProjectionRebuilder.AlreadyRunning e) {
      throw new ProblemException(ProblemType.CONFLICT, e.getMessage());
    } catch (ProjectionRebuilder.RootMismatch e) {
      throw new ProblemException(ProblemType.INTERNAL, "the evidence topic contradicts a signed checkpoint; nothing was rebuilt");
    } catch (IllegalStateException e) {
      // Kafka, PostgreSQL or the time bound failed: the transaction rolled back, the old index stands.
      log.warn("Rebuild of the evidence projections failed; the index is unchanged", e);
      throw new ProblemException(ProblemType.UNAVAILABLE, "the rebuild failed and was rolled back; retry later");
    }
  }
}

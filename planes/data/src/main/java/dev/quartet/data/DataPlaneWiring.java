package dev.quartet.data;

import dev.quartet.data.config.BackpressureSettings;
import dev.quartet.data.domain.DataAccessPolicy;
import dev.quartet.data.domain.InFlightBudget;
import dev.quartet.runtime.Roles;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.util.Map;

/** Beans of the data plane built from settings rather than discovered. */
@Factory
public class DataPlaneWiring {
  /** The process-wide bound on upload bytes in flight. */
  @Singleton
  public InFlightBudget inFlightBudget(BackpressureSettings settings) {
    return new InFlightBudget(settings.maxInFlightBytes());
  }

  /**
   * Data access by role. This slice grants the platform admin everything; per-classification
   * data roles (e.g. a reader cleared up to INTERNAL) are added as further grants here.
   */
  @Singleton
  public DataAccessPolicy dataAccessPolicy() {
    return new DataAccessPolicy(Map.of(Roles.ADMIN, DataAccessPolicy.Clearance.all()));
  }
}

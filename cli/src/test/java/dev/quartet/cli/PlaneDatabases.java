package dev.quartet.cli;

import dev.quartet.harness.Infrastructure;
import java.util.HashMap;
import java.util.Map;

/**
 * Each plane of a test's plane process gets its own login role and a schema of its own, named
 * after the test, so test classes sharing the harness database never see each other's rows.
 */
final class PlaneDatabases {
  private PlaneDatabases() {}

  /** Provisions {@code <plane>_<label>_<suffix>} for each plane and returns the plane properties pointing at them. */
  static Map<String, Object> provision(Infrastructure infra, String label, String suffix, String... planes) {
    Map<String, Object> p = new HashMap<>();
    for (String plane : planes) {
      String schema = plane + "_" + label + "_" + suffix;
      infra.database().provisionOwner("quartet_" + schema, "secret-" + suffix, schema);
      p.put("datasources." + plane + ".url", infra.jdbcUrl());
      p.put("datasources." + plane + ".username", "quartet_" + schema);
      p.put("datasources." + plane + ".password", "secret-" + suffix);
      p.put("datasources." + plane + ".schema", schema);
      p.put("flyway.datasources." + plane + ".schemas", schema);
      p.put("flyway.datasources." + plane + ".default-schema", schema);
    }
    return p;
  }
}

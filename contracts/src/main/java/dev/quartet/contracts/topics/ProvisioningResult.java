package dev.quartet.contracts.topics;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link TopicProvisioner#provision} run did and found.
 *
 * @param created topics this run created (empty when every topic already existed)
 * @param drift every setting of an existing topic that differs from the catalog
 */
public record ProvisioningResult(List<String> created, List<TopicDrift> drift) {
  public ProvisioningResult {
    created = List.copyOf(Objects.requireNonNull(created, "ProvisioningResult: created"));
    drift = List.copyOf(Objects.requireNonNull(drift, "ProvisioningResult: drift"));
  }

  /** True when every catalog topic exists with the catalog's settings. */
  public boolean consistent() {
    return drift.isEmpty();
  }
}

package dev.quartet.execution.domain;

/**
 * Memory bounds of a worker's config state.
 *
 * @param maxPendingVersions verified versions kept above the applied one while none can be applied
 *     (e.g. during catch-up or while the newest is expired); the oldest are dropped first, which
 *     loses nothing: each was verified against its predecessor when it arrived
 * @param maxRememberedVersions version digests remembered to tell an exact replay (ignored) from a
 *     rollback (refused); a replay older than this is refused as a rollback
 */
public record ConfigBounds(int maxPendingVersions, int maxRememberedVersions) {
  /** @throws IllegalArgumentException if a bound is below 1 */
  public ConfigBounds {
    if (maxPendingVersions < 1 || maxRememberedVersions < 1) {
      throw new IllegalArgumentException("ConfigBounds: bounds must be at least 1, were "
          + maxPendingVersions + ", " + maxRememberedVersions);
    }
  }
}

package dev.quartet.execution.policy;

/**
 * Admission quotas of a tenant from {@code body.policies.quotas}. A quota absent from the body is
 * {@link #UNLIMITED}; {@code 0} admits nothing.
 */
public record QuotaLimits(long concurrentTasks, long tasksPerMinute) {
  /** The value of a quota the config does not set. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  /** @throws IllegalArgumentException if a quota is negative */
  public QuotaLimits {
    if (concurrentTasks < 0 || tasksPerMinute < 0) {
      throw new IllegalArgumentException("quotas cannot be negative");
    }
  }
}

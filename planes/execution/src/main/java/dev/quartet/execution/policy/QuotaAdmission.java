package dev.quartet.execution.policy;

/** The answer of {@link TenantQuotas#tryAcquire}: a permit to run, or a refusal naming the quota. */
public sealed interface QuotaAdmission permits QuotaAdmission.Admitted, QuotaAdmission.Refused {
  /** The task may start; release the permit exactly when it stops running. */
  record Admitted(QuotaPermit permit) implements QuotaAdmission {}

  /** Over quota: {@code denied.policy()} is {@code quotas.concurrentTasks}, {@code quotas.tasksPerMinute} or {@code quotas.tenants}. */
  record Refused(PolicyDecision.Denied denied) implements QuotaAdmission {}
}

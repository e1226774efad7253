package dev.quartet.execution.policy;

import java.util.concurrent.atomic.AtomicBoolean;

/** One admitted task's hold on its tenant's concurrent-task quota; releasing twice releases once. */
public final class QuotaPermit implements AutoCloseable {
  private final TenantQuotas owner;
  private final String tenant;
  private final AtomicBoolean released = new AtomicBoolean();

  QuotaPermit(TenantQuotas owner, String tenant) {
    this.owner = owner;
    this.tenant = tenant;
  }

  /** The tenant this permit counts against. */
  public String tenant() {
    return tenant;
  }

  /** Gives the concurrent-task slot back; idempotent so a cancel racing a finish cannot free two slots. */
  public void release() {
    if (released.compareAndSet(false, true)) {
      owner.release(tenant);
    }
  }

  @Override
  public void close() {
    release();
  }
}

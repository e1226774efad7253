package dev.quartet.execution.policy;

import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Admission counters per tenant: tasks running now ({@code quotas.concurrentTasks}) and tasks
 * started in the last minute ({@code quotas.tasksPerMinute}, a sliding window estimated from two
 * fixed minute windows, so memory per tenant is constant). At most {@code maxTenants} tenants are
 * tracked; a tenant with nothing running and no starts in the last two minutes is forgotten to
 * make room, and when none can be forgotten a new tenant is refused rather than tracked unbounded.
 * Thread-safe.
 */
public final class TenantQuotas {
  private static final long WINDOW_MILLIS = 60_000;

  private final Clock clock;
  private final int maxTenants;
  private final Map<String, Counters> tenants = new HashMap<>();

  /** @throws IllegalArgumentException if {@code maxTenants} is below 1 */
  public TenantQuotas(Clock clock, int maxTenants) {
    if (maxTenants < 1) {
      throw new IllegalArgumentException("maxTenants must be at least 1, was " + maxTenants);
    }
    this.clock = clock;
    this.maxTenants = maxTenants;
  }

  /** Admits one task of {@code tenant} under {@code limits}, counting it as running and as started now. */
  public synchronized QuotaAdmission tryAcquire(String tenant, QuotaLimits limits) {
    long now = clock.millis();
    long window = Math.floorDiv(now, WINDOW_MILLIS);
    Counters c = tenants.get(tenant);
    if (c == null) {
      if (tenants.size() >= maxTenants && !forgetIdle(window)) {
        return refused("quotas.tenants", "more than " + maxTenants + " tenants are being tracked");
      }
      c = new Counters(window);
      tenants.put(tenant, c);
    }
    c.rollTo(window);
    if (c.running >= limits.concurrentTasks()) {
      return refused("quotas.concurrentTasks", "tenant has " + c.running + " of " + limits.concurrentTasks()
          + " concurrent tasks running");
    }
    double elapsed = (double) Math.floorMod(now, WINDOW_MILLIS) / WINDOW_MILLIS;
    double startedLastMinute = c.previous * (1 - elapsed) + c.current;
    if (startedLastMinute + 1 > limits.tasksPerMinute()) {
      return refused("quotas.tasksPerMinute", "tenant started about " + (long) Math.ceil(startedLastMinute)
          + " tasks in the last minute, limit " + limits.tasksPerMinute());
    }
    c.running++;
    c.current++;
    return new QuotaAdmission.Admitted(new QuotaPermit(this, tenant));
  }

  /** Tasks of {@code tenant} holding a permit now. */
  public synchronized long running(String tenant) {
    Counters c = tenants.get(tenant);
    return c == null ? 0 : c.running;
  }

  /** Tenants tracked now (at most {@code maxTenants}). */
  public synchronized int trackedTenants() {
    return tenants.size();
  }

  synchronized void release(String tenant) {
    Counters c = tenants.get(tenant);
    if (c != null && c.running > 0) {
      c.running--;
    }
  }

  private boolean forgetIdle(long window) {
    boolean forgot = false;
    for (Iterator<Counters> it = tenants.values().iterator(); it.hasNext(); ) {
      Counters c = it.next();
      // Forgetting a tenant with recent starts would reset its rate: only idle, stale ones go.
      if (c.running == 0 && window - c.window >= 2) {
        it.remove();
        forgot = true;
      }
    }
    return forgot;
  }

  private static QuotaAdmission refused(String policy, String reason) {
    return new QuotaAdmission.Refused(new PolicyDecision.Denied(policy, reason));
  }

  private static final class Counters {
    long window;
    long current;
    long previous;
    long running;

    Counters(long window) {
      this.window = window;
    }

    void rollTo(long now) {
      if (now == window) {
        return;
      }
      previous = now == window + 1 ? current : 0;
      current = 0;
      window = now;
    }
  }
}

package dev.quartet.execution.config;

import io.micronaut.core.value.PropertyResolver;
import java.time.Duration;

/**
 * How a worker runs tasks (defaults in application-execution.yml under {@code quartet.worker.tasks}).
 *
 * @param capacity tasks this worker runs at once (also its share of the queue's partitions in flight)
 * @param lease task lease: the consumer-group session a worker must keep alive by heartbeat; when it
 *     lapses the worker's partitions, and the tasks on them, move to another worker with a higher epoch
 * @param pollTimeout longest wait for new submissions in one turn of the runner
 * @param maxPollRecords submissions read per poll
 * @param maxAttempts attempts per task before it ends FAILED (1 = no retry)
 * @param backoffInitial delay before the second attempt; doubles per attempt, with jitter
 * @param backoffMax longest delay between attempts
 * @param handlerTimeout wall-clock bound of one handler attempt
 * @param connectTimeout bound of one TCP connect of the http handler and of the data-plane client
 * @param maxRedirects redirects the http handler follows
 * @param maxDiagnosticBytes bytes of handler diagnostics kept (stderr, response heads)
 * @param dataUrl the data plane's base URL: the worker reads inputs and stores outputs there only
 * @param dataToken the worker's bearer token for the data plane (needs the data roles of its tasks' classifications)
 * @param cancelWindow how far back a starting worker reads cancel requests
 * @param maxRememberedCancels cancel requests remembered (oldest forgotten first)
 * @param maxTenants tenants whose quota counters are tracked at once
 * @param maxPendingAge a submission older than this when first read is skipped, not run (a new queue
 *     group starts at the oldest retained submission and must not re-run history)
 */
public record TaskRunnerSettings(int capacity, Duration lease, Duration pollTimeout, int maxPollRecords, int maxAttempts,
                                 Duration backoffInitial, Duration backoffMax, Duration handlerTimeout,
                                 Duration connectTimeout, int maxRedirects, int maxDiagnosticBytes, String dataUrl,
                                 String dataToken, Duration cancelWindow, int maxRememberedCancels, int maxTenants,
                                 Duration maxPendingAge) {
  private static final String PREFIX = "quartet.worker.tasks.";

  /** @throws IllegalArgumentException naming the setting that is out of range */
  public TaskRunnerSettings {
    range(capacity, 1, 10_000, "capacity");
    range(maxPollRecords, 1, 10_000, "max-poll-records");
    range(maxAttempts, 1, 100, "max-attempts");
    range(maxRedirects, 0, 20, "max-redirects");
    range(maxDiagnosticBytes, 1, 1 << 20, "max-diagnostic-bytes");
    range(maxRememberedCancels, 1, 1_000_000, "max-remembered-cancels");
    range(maxTenants, 1, 1_000_000, "max-tenants");
    for (var d : new Object[][] {{lease, "lease"}, {pollTimeout, "poll-timeout"}, {backoffInitial, "backoff-initial"},
        {backoffMax, "backoff-max"}, {handlerTimeout, "handler-timeout"}, {connectTimeout, "connect-timeout"},
        {cancelWindow, "cancel-window"}, {maxPendingAge, "max-pending-age"}}) {
      if (!(d[0] instanceof Duration duration) || duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("quartet.worker.tasks." + d[1] + " must be a positive duration");
      }
    }
    if (dataUrl == null || !dataUrl.matches("https?://.+")) {
      throw new IllegalArgumentException("quartet.worker.tasks.data-url must be an http(s) URL");
    }
    dataToken = dataToken == null ? "" : dataToken;
  }

  /**
   * Reads the settings under {@code quartet.worker.tasks} (the worker process has no bean context).
   *
   * @throws IllegalArgumentException naming a setting that is missing or out of range
   */
  public static TaskRunnerSettings from(PropertyResolver env) {
    return new TaskRunnerSettings(get(env, "capacity", Integer.class), get(env, "lease", Duration.class),
        get(env, "poll-timeout", Duration.class), get(env, "max-poll-records", Integer.class),
        get(env, "max-attempts", Integer.class), get(env, "backoff-initial", Duration.class),
        get(env, "backoff-max", Duration.class), get(env, "handler-timeout", Duration.class),
        get(env, "connect-timeout", Duration.class), get(env, "max-redirects", Integer.class),
        get(env, "max-diagnostic-bytes", Integer.class), get(env, "data-url", String.class),
        env.getProperty(PREFIX + "data-token", String.class).orElse(""), get(env, "cancel-window", Duration.class),
        get(env, "max-remembered-cancels", Integer.class), get(env, "max-tenants", Integer.class),
        get(env, "max-pending-age", Duration.class));
  }

  private static <T> T get(PropertyResolver env, String name, Class<T> type) {
    return env.getProperty(PREFIX + name, type).orElseThrow(() -> new IllegalArgumentException(PREFIX + name + " is not set"));
  }

  private static void range(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("quartet.worker.tasks." + name + " must be in [" + min + ", " + max + "], was " + value);
    }
  }
}

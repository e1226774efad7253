package dev.quartet.bench;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Quartet: latency from submit to RUNNING, one task at a time as the raw end-to-end baseline sends
 * one record at a time: from before {@code POST /v1/tasks} until the task's RUNNING transition is
 * read from {@code quartet.tasks.events} ({@code read_committed}); the next task goes once the
 * previous one ended, so every sample starts on an idle worker.
 */
final class TaskSubmitToRunningScenario implements BenchScenario {
  private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(1);
  private final int inputSize;
  private final PlaneBenchSettings planes;

  TaskSubmitToRunningScenario(int inputSize, PlaneBenchSettings planes) {
    this.inputSize = inputSize;
    this.planes = planes;
  }

  @Override
  public String name() {
    return "task-submit-to-running";
  }

  @Override
  public String description() {
    return "one transform task at a time: POST /v1/tasks -> RUNNING read from quartet.tasks.events (read_committed);"
        + " p50 / p99 / p99.9";
  }

  @Override
  public Kind kind() {
    return Kind.QUARTET;
  }

  @Override
  public Optional<String> baseline() {
    return Optional.of(RawEndToEndLatencyScenario.NAME);
  }

  @Override
  public Optional<String> goal() {
    return Optional.of("execution.submit-to-running");
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    BenchSettings s = ctx.settings();
    StackClient client = QuartetStack.of(ctx, planes).client();
    StackClient.PayloadRef input = TaskPipelineScenario.storeInput(client, inputSize);
    TaskTracker tracker = new TaskTracker(1);
    String keyPrefix = ctx.uniqueId(name());
    Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    // Submit -> ended, alongside: how much of a task's life RUNNING is, without a second run.
    Histogram whole = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    long timeout = s.operationTimeout().toNanos();
    try (TaskEventFollower follower = new TaskEventFollower(ctx, tracker)) {
      long start = System.nanoTime();
      long windowStart = start + s.warmup().toNanos();
      long end = windowStart + s.duration().toNanos();
      boolean measuring = false;
      long n = 0;
      while (System.nanoTime() < end) {
        follower.check();
        if (!tracker.reserve(timeout)) {
          throw new IllegalStateException("bench task " + n + " had not ended within " + s.operationTimeout());
        }
        long sent = System.nanoTime();
        if (!measuring && sent >= windowStart) {
          measuring = true;
          ctx.startMeasuring();
        }
        StackClient.SubmitOutcome o = client.submitTask("transform", input, Map.of(), keyPrefix + "-" + (++n));
        if (!o.accepted()) {
          throw new IllegalStateException("the execution plane answered HTTP " + o.status() + " to a task submission");
        }
        tracker.submitted(o.taskId(), System.nanoTime());
        long latency = tracker.awaitRunning(o.taskId(), sent, timeout);
        if (latency < 0) {
          throw new IllegalStateException("bench task " + o.taskId() + " was not seen RUNNING within " + s.operationTimeout());
        }
        long ended = tracker.awaitEnded(o.taskId(), sent, timeout);
        if (ended < 0) {
          throw new IllegalStateException("bench task " + o.taskId() + " had not ended within " + s.operationTimeout());
        }
        if (measuring && sent < end) {
          histogram.recordValue(Math.min(latency, HIGHEST_TRACKABLE_NANOS));
          whole.recordValue(Math.min(ended, HIGHEST_TRACKABLE_NANOS));
        }
      }
      ctx.stopMeasuring();
      tracker.awaitDrained(timeout);
      follower.check();
      if (histogram.getTotalCount() < 1) {
        throw new IllegalStateException("no bench task reached RUNNING in the measured " + s.duration());
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("p50Ms", millis(histogram.getValueAtPercentile(50)));
      metrics.put("p99Ms", millis(histogram.getValueAtPercentile(99)));
      metrics.put("p999Ms", millis(histogram.getValueAtPercentile(99.9)));
      metrics.put("maxMs", millis(histogram.getMaxValue()));
      metrics.put("samples", (double) histogram.getTotalCount());
      metrics.put("endedP50Ms", millis(whole.getValueAtPercentile(50)));
      metrics.put("endedP99Ms", millis(whole.getValueAtPercentile(99)));
      metrics.put("failed", (double) tracker.failed());
      metrics.put("valueBytes", (double) inputSize);
      return new ScenarioResult(Figure.latencyMillis("p99", millis(histogram.getValueAtPercentile(99))), metrics);
    }
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}

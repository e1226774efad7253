package dev.quartet.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Quartet: tasks end to end, submit → SUCCEEDED. Clients submit {@code transform} tasks
 * ({@code op=uppercase}) over one stored input payload through {@code POST /v1/tasks}, keeping at
 * most {@code maxOutstandingTasks} unfinished; the worker leases each, fetches the input from the
 * data plane, runs the handler, stores the output and commits every transition, its evidence and
 * the consumed offset in one Kafka transaction. The figure is tasks seen SUCCEEDED on
 * {@code quartet.tasks.events} ({@code read_committed}) per second. Measured once against the raw
 * transactional copy loop and once against the raw producer, each sandwiched by its own baseline.
 */
final class TaskPipelineScenario implements BenchScenario {
  private static final Map<String, String> PARAMS = Map.of("op", "uppercase");
  private final String name;
  private final String baseline;
  private final String goal;
  private final int inputSize;
  private final PlaneBenchSettings planes;

  private TaskPipelineScenario(String name, String baseline, String goal, int inputSize, PlaneBenchSettings planes) {
    this.name = name;
    this.baseline = baseline;
    this.goal = goal;
    this.inputSize = inputSize;
    this.planes = planes;
  }

  /** Against the raw transactional consume → produce loop (PERF-GOALS: ≥ 85 %). */
  static TaskPipelineScenario againstTransactionalCopy(int inputSize, PlaneBenchSettings planes) {
    return new TaskPipelineScenario("task-pipeline", RawTransactionalCopyScenario.NAME, "execution.task-pipeline",
        inputSize, planes);
  }

  /** Against the raw producer at the same record size (PERF-GOALS: ≥ 45 %). */
  static TaskPipelineScenario againstProducer(int inputSize, PlaneBenchSettings planes) {
    return new TaskPipelineScenario("task-pipeline-vs-producer", RawProducerScenario.nameFor(inputSize),
        "execution.task-pipeline-producer", inputSize, planes);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return "tasks submit -> SUCCEEDED: transform op=uppercase over a " + inputSize + " B INTERNAL input, EOS, one worker, "
        + planes.httpClients() + " submitters, <= " + planes.maxOutstandingTasks() + " unfinished; tasks/s as rec/s";
  }

  @Override
  public Kind kind() {
    return Kind.QUARTET;
  }

  @Override
  public Optional<String> baseline() {
    return Optional.of(baseline);
  }

  @Override
  public Optional<String> goal() {
    return Optional.of(goal);
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    BenchSettings s = ctx.settings();
    StackClient client = QuartetStack.of(ctx, planes).client();
    StackClient.PayloadRef input = storeInput(client, inputSize);
    TaskTracker tracker = new TaskTracker(planes.maxOutstandingTasks());
    String keyPrefix = ctx.uniqueId(name);
    AtomicLong sequence = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long[] window = new long[2];
    try (TaskEventFollower follower = new TaskEventFollower(ctx, tracker)) {
      ConcurrentLoad.Result load = ConcurrentLoad.run(planes.httpClients(), c -> {
        follower.check();
        if (!tracker.reserve(TimeUnit.MILLISECONDS.toNanos(100))) {
          return ConcurrentLoad.Outcome.IDLE;
        }
        StackClient.SubmitOutcome o = client.submitTask("transform", input, PARAMS, keyPrefix + "-" + sequence.incrementAndGet());
        if (o.accepted()) {
          tracker.submitted(o.taskId(), System.nanoTime());
          return ConcurrentLoad.Outcome.ACCEPTED;
        }
        tracker.unreserve();
        if (o.status() == 429 || o.status() == 503) {
          refused.incrementAndGet();
          return ConcurrentLoad.Outcome.REFUSED;
        }
        throw new IllegalStateException("the execution plane answered HTTP " + o.status() + " to a task submission");
      }, s.warmup(), s.duration(), DataPutScenario.REFUSED_PAUSE, s.operationTimeout(), () -> {
        ctx.startMeasuring();
        window[0] = tracker.succeeded();
      }, () -> {
        window[1] = tracker.succeeded();
        ctx.stopMeasuring();
      });
      // Tasks still running would load the baseline measured next: let them finish first.
      if (!tracker.awaitDrained(s.operationTimeout().toNanos())) {
        throw new IllegalStateException(tracker.outstanding() + " bench tasks had not ended " + s.operationTimeout()
            + " after the window closed");
      }
      follower.check();
      if (tracker.failed() > 0) {
        throw new IllegalStateException(tracker.failed() + " bench tasks ended FAILED or CANCELLED; the figure would not"
            + " be of succeeded tasks (see the worker's log)");
      }
      long tasks = window[1] - window[0];
      if (tasks < 1) {
        throw new IllegalStateException("no bench task SUCCEEDED in the measured " + s.duration());
      }
      double perSecond = tasks / load.seconds();
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("recordsPerSec", perSecond);
      metrics.put("records", (double) tasks);
      metrics.put("seconds", load.seconds());
      metrics.put("submittedInWindow", (double) load.accepted());
      metrics.put("refused", (double) refused.get());
      metrics.put("valueBytes", (double) inputSize);
      metrics.put("clients", (double) planes.httpClients());
      metrics.put("maxOutstandingTasks", (double) planes.maxOutstandingTasks());
      return new ScenarioResult(Figure.recordsPerSecond(perSecond), metrics);
    }
  }

  /** Stores the tasks' one input: ASCII text, so uppercase has work to do. */
  static StackClient.PayloadRef storeInput(StackClient client, int size) {
    byte[] text = new byte[size];
    Arrays.fill(text, (byte) 'q');
    StackClient.PutOutcome o = client.putPayload(StackClient.Upload.of(text), "INTERNAL");
    if (!o.accepted()) {
      throw new IllegalStateException("the data plane answered HTTP " + o.status() + " to the tasks' input payload");
    }
    return o.stored();
  }
}

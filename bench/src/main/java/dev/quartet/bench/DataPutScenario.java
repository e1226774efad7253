package dev.quartet.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Quartet: {@code PUT /v1/payloads?classification=CONFIDENTIAL} by concurrent clients, each
 * payload streamed, hashed, checked against {@code X-Content-SHA256}, AES-256-GCM envelope-encrypted
 * and stored — inline in a Kafka record up to 256 KiB, else in the fsync'd blob store with a claim
 * check on Kafka — with its event, evidence and index row. Inline sizes compare with the raw
 * producer at the same size, the blob size with raw fsync'd file writes of the same size. The figure
 * is payloads/s; at equal sizes its ratio is the MB/s ratio the goals state.
 */
final class DataPutScenario implements BenchScenario {
  private static final String CLASSIFICATION = "CONFIDENTIAL";
  private final int size;
  private final boolean blob;
  private final PlaneBenchSettings planes;

  private DataPutScenario(int size, boolean blob, PlaneBenchSettings planes) {
    this.size = size;
    this.blob = blob;
    this.planes = planes;
  }

  /** A put of {@code size} bytes at most the inline threshold, against the raw producer at that size. */
  static DataPutScenario inline(int size, PlaneBenchSettings planes) {
    if (size > PlaneBenchSettings.INLINE_THRESHOLD) {
      throw new IllegalArgumentException("an inline put is at most " + PlaneBenchSettings.INLINE_THRESHOLD + " bytes, was " + size);
    }
    return new DataPutScenario(size, false, planes);
  }

  /** A put of {@code size} bytes above the inline threshold, against raw fsync'd file writes of that size. */
  static DataPutScenario blob(int size, PlaneBenchSettings planes) {
    if (size <= PlaneBenchSettings.INLINE_THRESHOLD) {
      throw new IllegalArgumentException("a blob put is over " + PlaneBenchSettings.INLINE_THRESHOLD + " bytes, was " + size);
    }
    return new DataPutScenario(size, true, planes);
  }

  @Override
  public String name() {
    return (blob ? "data-put-blob-" : "data-put-") + BenchSettings.sizeLabel(size);
  }

  @Override
  public String description() {
    return "PUT /v1/payloads " + CLASSIFICATION + ", " + size + " B, " + planes.httpClients() + " clients: "
        + (blob ? "encrypted into the fsync'd blob store, reference on Kafka" : "encrypted inline in a Kafka record")
        + ", event + evidence + index row; payloads/s (= MB/s ratio at equal size)";
  }

  @Override
  public Kind kind() {
    return Kind.QUARTET;
  }

  @Override
  public Optional<String> baseline() {
    return Optional.of(blob ? RawFsyncFileScenario.nameFor(size) : RawProducerScenario.nameFor(size));
  }

  @Override
  public Optional<String> goal() {
    return Optional.of(blob ? "data.put-blob" : "data.put-inline");
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws InterruptedException {
    StackClient client = QuartetStack.of(ctx, planes).client();
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    StackClient.Upload upload = StackClient.Upload.of(body);
    ConcurrentLoad.Result r = ConcurrentLoad.run(planes.httpClients(), c -> {
      StackClient.PutOutcome o = client.putPayload(upload, CLASSIFICATION);
      if (o.accepted()) {
        return ConcurrentLoad.Outcome.ACCEPTED;
      }
      if (o.status() == 429 || o.status() == 503) {
        return ConcurrentLoad.Outcome.REFUSED;
      }
      throw new IllegalStateException("the data plane answered HTTP " + o.status() + " to a " + size + " B put");
    }, ctx.settings().warmup(), ctx.settings().duration(), REFUSED_PAUSE, ctx.settings().operationTimeout(),
        ctx::startMeasuring, ctx::stopMeasuring);
    if (r.accepted() < 1) {
      throw new IllegalStateException("no " + size + " B put was accepted in " + ctx.settings().duration()
          + " (" + r.refused() + " refused)");
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("recordsPerSec", r.acceptedPerSecond());
    metrics.put("megabytesPerSec", r.accepted() * (double) size / r.seconds() / 1e6);
    metrics.put("records", (double) r.accepted());
    metrics.put("seconds", r.seconds());
    metrics.put("valueBytes", (double) size);
    metrics.put("refused", (double) r.refused());
    metrics.put("clients", (double) planes.httpClients());
    return new ScenarioResult(Figure.recordsPerSecond(r.acceptedPerSecond()), metrics);
  }

  /** Pause of a client after a 429: short, so a refusal costs the figure little and shows in {@code refused}. */
  static final Duration REFUSED_PAUSE = Duration.ofMillis(50);
}

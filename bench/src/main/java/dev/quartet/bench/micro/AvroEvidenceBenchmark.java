package dev.quartet.bench.micro;

import dev.quartet.bench.EvidenceEvents;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.UndecodableEventException;
import org.apache.avro.specific.SpecificRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** Avro single-object encode and decode ({@link EventCodec}) of a typical 1 KiB EvidenceEvent. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AvroEvidenceBenchmark {
  private static final int EVENT_BYTES = 1024;

  private final EventCodec codec = EventCodec.standard();
  private EvidenceEvent event;
  private byte[] encoded;

  @Setup
  public void setUp() {
    EvidenceEvents events = EvidenceEvents.ofEncodedSize(EVENT_BYTES);
    event = events.next(7);
    encoded = codec.encode(event);
  }

  @Benchmark
  public byte[] encode() {
    return codec.encode(event);
  }

  @Benchmark
  public SpecificRecord decode() throws UndecodableEventException {
    return codec.decode(encoded);
  }
}

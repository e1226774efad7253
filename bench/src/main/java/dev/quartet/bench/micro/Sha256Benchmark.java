package dev.quartet.bench.micro;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * SHA-256 with the JDK, plain and as an RFC 9162 leaf hash (SHA-256 over 0x00 || leaf), at an
 * evidence event's size (1 KiB) and at 64 KiB for the bulk rate. The leaf-hash rate is the
 * baseline of offline bundle verification (≥ 1 M events/s per core).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Sha256Benchmark {
  /** RFC 9162 §2.1.1: leaf hashes are prefixed 0x00 so no leaf can pose as an interior node. */
  private static final byte LEAF_PREFIX = 0x00;

  @Param({"1024", "65536"})
  public int size;

  private byte[] data;
  private MessageDigest sha256;

  @Setup
  public void setUp() throws NoSuchAlgorithmException {
    data = new byte[size];
    new Random(size).nextBytes(data);
    sha256 = MessageDigest.getInstance("SHA-256");
  }

  @Benchmark
  public byte[] sha256() {
    return sha256.digest(data);
  }

  @Benchmark
  public byte[] leafHash() {
    sha256.update(LEAF_PREFIX);
    return sha256.digest(data);
  }
}

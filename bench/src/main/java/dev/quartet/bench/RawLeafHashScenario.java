package dev.quartet.bench;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Baseline of offline bundle verification: RFC 9162 leaf hashes, SHA-256(0x00 ‖ record), of
 * {@code recordSize}-byte records with the JDK's SHA-256 on one thread — the least any verifier
 * does per event. Records are 4,096 distinct random arrays (more than a core's L2 cache at 1 KiB).
 * Figure: leaf hashes per second on one core, the unit the verify scenario reports per core.
 */
final class RawLeafHashScenario implements BenchScenario {
  /** The figure's unit: events (here leaf hashes) per second on one core. */
  static final String UNIT = "events/s/core";
  static final String NAME = "raw-leaf-hash";
  private static final int DISTINCT = 4096;
  private static final int CHECK_CLOCK_EVERY = 256;
  private final int recordSize;

  RawLeafHashScenario(int recordSize) {
    this.recordSize = recordSize;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "RFC 9162 leaf hashes SHA-256(0x00 || record) of " + recordSize + " B records, JDK SHA-256, one thread;"
        + " hashes/s";
  }

  @Override
  public Kind kind() {
    return Kind.BASELINE;
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws NoSuchAlgorithmException, DigestException {
    byte[][] records = new byte[DISTINCT][recordSize];
    Random random = new Random(recordSize);
    for (byte[] r : records) {
      random.nextBytes(r);
    }
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    byte[] out = new byte[32];
    long sink = 0;
    long warmEnd = System.nanoTime() + ctx.settings().warmup().toNanos();
    for (int i = 0; System.nanoTime() < warmEnd || i == 0; i += CHECK_CLOCK_EVERY) {
      sink += hash(sha256, records, i, out);
    }
    ctx.startMeasuring();
    long start = System.nanoTime();
    long end = start + ctx.settings().duration().toNanos();
    long hashes = 0;
    long now;
    do {
      sink += hash(sha256, records, (int) hashes, out);
      hashes += CHECK_CLOCK_EVERY;
      now = System.nanoTime();
    } while (now < end);
    ctx.stopMeasuring();
    double seconds = (now - start) / 1e9;
    double rate = hashes / seconds;
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("hashesPerSec", rate);
    metrics.put("megabytesPerSec", rate * (recordSize + 1) / 1e6);
    metrics.put("hashes", (double) hashes);
    metrics.put("seconds", seconds);
    metrics.put("valueBytes", (double) recordSize);
    metrics.put("threads", 1.0);
    metrics.put("checksum", (double) (sink & 0xffff)); // keeps the JIT from dropping the hashing
    return new ScenarioResult(new Figure("throughput", rate, UNIT, true), metrics);
  }

  private static long hash(MessageDigest sha256, byte[][] records, int first, byte[] out) throws DigestException {
    long sink = 0;
    for (int k = 0; k < CHECK_CLOCK_EVERY; k++) {
      sha256.update((byte) 0x00);
      sha256.update(records[(first + k) & (DISTINCT - 1)]);
      sha256.digest(out, 0, 32);
      sink += out[0];
    }
    return sink;
  }
}

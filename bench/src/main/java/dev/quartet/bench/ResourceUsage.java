package dev.quartet.bench;

/**
 * What the whole JVM spent during a scenario's measured window. With the embedded broker the
 * broker runs in this JVM too, so CPU and GC include it.
 *
 * @param peakHeapUsedBytes sum of each heap pool's peak use in the window (an upper bound on the heap's peak)
 * @param gcMillis collection time of all collectors
 * @param cpuMillis process CPU time (user + system, all threads)
 * @param wallMillis length of the window
 */
public record ResourceUsage(long peakHeapUsedBytes, long gcMillis, long gcCount, long cpuMillis, long wallMillis) {
  /** Average cores busy: CPU time over wall time. */
  public double cpuCores() {
    return wallMillis == 0 ? 0 : (double) cpuMillis / wallMillis;
  }
}

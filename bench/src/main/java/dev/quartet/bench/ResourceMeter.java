package dev.quartet.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.OperatingSystemMXBean;

/** Reads heap, GC and process CPU from the platform MXBeans at the start and end of a window. */
final class ResourceMeter {
  private long startNanos;
  private long startGcMillis;
  private long startGcCount;
  private long startCpuNanos;

  /** Opens a window: resets heap pool peaks and remembers GC and CPU counters. */
  void start() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        pool.resetPeakUsage();
      }
    }
    startGcMillis = gcMillis();
    startGcCount = gcCount();
    startCpuNanos = processCpuNanos();
    startNanos = System.nanoTime();
  }

  /** Closes the window and returns what was spent in it. */
  ResourceUsage stop() {
    long wallMillis = (System.nanoTime() - startNanos) / 1_000_000;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    long cpu = processCpuNanos();
    long cpuMillis = cpu < 0 || startCpuNanos < 0 ? 0 : (cpu - startCpuNanos) / 1_000_000;
    return new ResourceUsage(peak, gcMillis() - startGcMillis, gcCount() - startGcCount, cpuMillis, wallMillis);
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  private static long gcCount() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionCount());
    }
    return total;
  }

  /** Process CPU time in ns, or -1 where the JVM does not expose it. */
  private static long processCpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }
}

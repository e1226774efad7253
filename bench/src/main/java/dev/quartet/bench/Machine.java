package dev.quartet.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/** Where a run happened: cores, JDK, OS, heap limit and collectors. */
public record Machine(int cores, String javaVersion, String vm, String os, long maxHeapBytes, List<String> collectors) {
  /** This JVM's machine. */
  public static Machine current() {
    return new Machine(Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version", System.getProperty("java.version")),
        System.getProperty("java.vm.name"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        Runtime.getRuntime().maxMemory(),
        ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
  }
}

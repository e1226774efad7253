package dev.quartet.cli;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;

/**
 * Which events of a bundle a whole-tree recompute proves: per partition, the largest checkpoint
 * size S among the candidates such that the bundle holds every leaf 0..S-1. Verify recomputes that
 * checkpoint's root from those leaves in one pass, so those events need no inclusion proof of their own.
 */
final class BundleCoverage {
  /** One selected event's leaf. */
  record Leaf(int partition, long leafIndex) {}

  private BundleCoverage() {}

  /**
   * Per partition with a complete range, its size (partitions without one are absent).
   *
   * @param candidates per partition, the sizes of signed checkpoints the bundle can include
   */
  static Map<Integer, Long> completeSizes(List<Leaf> leaves, Map<Integer, ? extends NavigableSet<Long>> candidates) {
    Map<Integer, long[]> byPartition = new HashMap<>();
    Map<Integer, Integer> counts = new HashMap<>();
    leaves.forEach(l -> counts.merge(l.partition(), 1, Integer::sum));
    counts.forEach((p, c) -> byPartition.put(p, new long[c]));
    Map<Integer, Integer> filled = new HashMap<>();
    for (Leaf l : leaves) {
      byPartition.get(l.partition())[filled.merge(l.partition(), 1, Integer::sum) - 1] = l.leafIndex();
    }
    Map<Integer, Long> complete = new TreeMap<>();
    byPartition.forEach((p, indexes) -> {
      Arrays.sort(indexes);
      long k = 0;
      for (long index : indexes) {
        if (index == k) {
          k++;
        } else if (index > k) {
          break;
        }
      }
      NavigableSet<Long> sizes = candidates.get(p);
      Long size = sizes == null ? null : sizes.floor(k);
      if (size != null && size > 0) {
        complete.put(p, size);
      }
    });
    return complete;
  }
}

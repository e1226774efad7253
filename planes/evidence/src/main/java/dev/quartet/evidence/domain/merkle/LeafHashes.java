package dev.quartet.evidence.domain.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Random access to the leaf hashes of a log, by 0-based index; storage implements it so proofs
 * can be generated from whatever holds the leaves.
 */
@FunctionalInterface
public interface LeafHashes {
  /** The 32-byte leaf hash at {@code index}; callers only ask for indices below the tree size they pass. */
  byte[] hash(long index);

  /** An in-memory view over {@code hashes} (copied), for tests and small trees. */
  static LeafHashes of(List<byte[]> hashes) {
    List<byte[]> copy = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      copy.add(NodeHash.requireHash(h, "leaf hash " + copy.size()).clone());
    }
    return index -> {
      if (index < 0 || index >= copy.size()) {
        throw new IndexOutOfBoundsException("leaf " + index + " of " + copy.size());
      }
      return copy.get((int) index).clone();
    };
  }
}

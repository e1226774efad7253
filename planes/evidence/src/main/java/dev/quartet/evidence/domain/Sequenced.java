package dev.quartet.evidence.domain;

import java.util.Objects;

/** What the sequencer decided for one record: append it as the next leaf, or recognise a replay. */
public sealed interface Sequenced permits Sequenced.Appended, Sequenced.AlreadyLogged {

  /** The record became {@code leaf}; {@code tree} is the partition's log after it. */
  record Appended(PartitionTree tree, EvidenceLeaf leaf) implements Sequenced {
    /** @throws NullPointerException if either part is missing */
    public Appended {
      Objects.requireNonNull(tree, "tree");
      Objects.requireNonNull(leaf, "leaf");
    }
  }

  /**
   * The record at {@code offset} was already sequenced (the log is past {@code lastOffset}):
   * an at-least-once redelivery, which must not become a second leaf.
   */
  record AlreadyLogged(int partition, long offset, long lastOffset) implements Sequenced {}
}

package dev.quartet.evidence.domain;

import dev.quartet.evidence.domain.note.Checkpoint;
import java.util.List;

/**
 * When a partition's log gets a new signed checkpoint, and under which origin. A checkpoint is
 * due on every round (every T) when the tree grew since the last one, and early as soon as it
 * grew by {@code everyEvents}; an unchanged tree is never re-signed.
 */
public record CheckpointPolicy(String originPrefix, long everyEvents) {
  /** @throws IllegalArgumentException when {@code everyEvents} is below 1 or the prefix cannot start a checkpoint origin line */
  public CheckpointPolicy {
    if (everyEvents < 1) {
      throw new IllegalArgumentException("CheckpointPolicy: every-events must be >= 1, was " + everyEvents);
    }
    // C2SP tlog-checkpoint: the origin is the first line of the note; validate it once, up front.
    new Checkpoint(originPrefix + "0", 0, new byte[] {0}, List.of());
  }

  /** C2SP origin of one partition's log: each partition is its own tree, so its own log identity. */
  public String origin(int partition) {
    if (partition < 0) {
      throw new IllegalArgumentException("CheckpointPolicy: partition must be >= 0, was " + partition);
    }
    return originPrefix + partition;
  }

  /** True when the tree grew since the last checkpoint (0 when there is none): the periodic round signs it. */
  public boolean grown(long treeSize, long checkpointedSize) {
    return treeSize > checkpointedSize;
  }

  /** True when the tree grew by at least {@code everyEvents}: sign now, without waiting for the round. */
  public boolean dueEarly(long treeSize, long checkpointedSize) {
    return treeSize - checkpointedSize >= everyEvents;
  }
}

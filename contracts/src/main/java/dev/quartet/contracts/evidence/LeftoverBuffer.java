package dev.quartet.contracts.evidence;

import java.util.Optional;

/**
 * Buffer segments a previous run left behind. Their key lived only in that run's memory, so they
 * cannot be read: only their frame count and time range (authenticated-but-plain headers) are known.
 *
 * @param events frames found
 * @param fromMillis smallest occurred-at among them ({@code Long.MAX_VALUE} when none)
 * @param toMillis largest occurred-at among them ({@code Long.MIN_VALUE} when none)
 */
record LeftoverBuffer(long events, long fromMillis, long toMillis) {
  static final LeftoverBuffer NONE = new LeftoverBuffer(0, Long.MAX_VALUE, Long.MIN_VALUE);

  LeftoverBuffer plus(long occurredAtMillis) {
    return new LeftoverBuffer(events + 1, Math.min(fromMillis, occurredAtMillis), Math.max(toMillis, occurredAtMillis));
  }

  Optional<LeftoverBuffer> nonEmpty() {
    return events == 0 ? Optional.empty() : Optional.of(this);
  }
}

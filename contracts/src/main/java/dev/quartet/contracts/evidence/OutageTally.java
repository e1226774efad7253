package dev.quartet.contracts.evidence;

import java.time.Instant;
import java.util.Optional;

/**
 * What an outage has cost since the last gap was written: events buffered, events dropped, their
 * occurred-at range and the first reason.
 */
record OutageTally(long buffered, long dropped, long fromMillis, long toMillis, String reason) {
  static final OutageTally NONE = new OutageTally(0, 0, Long.MAX_VALUE, Long.MIN_VALUE, null);

  boolean isEmpty() {
    return buffered == 0 && dropped == 0;
  }

  OutageTally buffered(long occurredAtMillis, String why) {
    return new OutageTally(buffered + 1, dropped, Math.min(fromMillis, occurredAtMillis),
        Math.max(toMillis, occurredAtMillis), reason == null ? why : reason);
  }

  OutageTally dropped(long count, long from, long to, String why) {
    return new OutageTally(buffered, dropped + count, Math.min(fromMillis, from), Math.max(toMillis, to),
        reason == null ? why : reason);
  }

  /** {@code lost} buffered events turned out unreadable: they count as dropped now, and {@code why} joins the reason. */
  OutageTally lostFromBuffer(long lost, long from, long to, String why) {
    return new OutageTally(Math.max(0, buffered - lost), dropped + lost, Math.min(fromMillis, from), Math.max(toMillis, to),
        reason == null ? why : reason + "; " + why);
  }

  /** This tally and {@code later} together, keeping this one's reason. */
  OutageTally plus(OutageTally later) {
    if (later.isEmpty()) {
      return this;
    }
    return new OutageTally(buffered + later.buffered, dropped + later.dropped, Math.min(fromMillis, later.fromMillis),
        Math.max(toMillis, later.toMillis), reason == null ? later.reason : reason);
  }

  Instant from() {
    return Instant.ofEpochMilli(fromMillis);
  }

  Instant to() {
    return Instant.ofEpochMilli(toMillis);
  }

  String reasonOr(String fallback) {
    return Optional.ofNullable(reason).orElse(fallback);
  }
}

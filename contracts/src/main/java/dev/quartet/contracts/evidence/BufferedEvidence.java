package dev.quartet.contracts.evidence;

import java.util.Arrays;
import java.util.Objects;

/**
 * One evidence record held in the local buffer while the evidence topic cannot be written.
 *
 * @param emitSeq the client's emit order; the buffer is flushed in this order
 * @param occurredAtMillis the event's occurred-at, kept so a lost buffer still yields a time range
 * @param key the record key (correlation id bytes), or {@code null}; copied
 * @param value the single-object encoded event; copied
 */
record BufferedEvidence(long emitSeq, long occurredAtMillis, byte[] key, byte[] value) {
  BufferedEvidence {
    Objects.requireNonNull(value, "BufferedEvidence: value");
    key = key == null ? null : key.clone();
    value = value.clone();
  }

  @Override
  public byte[] key() {
    return key == null ? null : key.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BufferedEvidence b && b.emitSeq == emitSeq && b.occurredAtMillis == occurredAtMillis
        && Arrays.equals(b.key, key) && Arrays.equals(b.value, value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(emitSeq, occurredAtMillis, Arrays.hashCode(key), Arrays.hashCode(value));
  }

  /** Sequence and time only: keys and values stay out of logs. */
  @Override
  public String toString() {
    return "BufferedEvidence[seq=" + emitSeq + ", occurredAt=" + occurredAtMillis + "]";
  }
}

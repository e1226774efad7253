package dev.quartet.evidence.domain;

import java.util.Optional;

/**
 * Read access to the exact bytes of evidence records, which are the Merkle leaves. The topic is
 * the system of record, so an adapter reads them back from it; the log itself keeps only hashes.
 */
public interface EvidenceRecords {
  /**
   * The value of the evidence record at {@code partition}@{@code offset} exactly as stored.
   *
   * @return empty when the topic no longer holds that offset
   * @throws IllegalStateException when the record cannot be read within the configured bound
   */
  Optional<byte[]> valueAt(int partition, long offset);
}

package dev.quartet.contracts.evidence;

import dev.quartet.contracts.topics.TopicCatalog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Bounds and destinations of an {@link EvidenceClient}.
 *
 * @param eventsTopic where evidence events go ({@link TopicCatalog#EVIDENCE_EVENTS})
 * @param gapsTopic where {@code EvidenceGap} records go ({@link TopicCatalog#EVIDENCE_GAPS})
 * @param bufferDir directory of the encrypted local buffer; one client per directory
 * @param maxBufferBytes bytes the buffer may hold on disk; events beyond are dropped and counted
 * @param maxBufferedEvents events the buffer may hold; events beyond are dropped and counted
 * @param maxEventBytes largest encoded event accepted (below Kafka's {@code max.request.size})
 * @param sendTimeout bound on one write to the topic before it counts as failed
 * @param probeInterval how often a buffering client tries the topic again
 */
public record EvidenceClientSettings(String eventsTopic, String gapsTopic, Path bufferDir, long maxBufferBytes,
                                     int maxBufferedEvents, int maxEventBytes, Duration sendTimeout,
                                     Duration probeInterval) {
  /** Default {@link #maxBufferBytes()}: 64 MiB. */
  public static final long DEFAULT_MAX_BUFFER_BYTES = 64L * 1024 * 1024;
  /** Default {@link #maxBufferedEvents()}. */
  public static final int DEFAULT_MAX_BUFFERED_EVENTS = 100_000;
  /** Default {@link #maxEventBytes()}: leaves room for the record overhead under Kafka's 1 MiB default. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 1_000_000;
  /** Default {@link #sendTimeout()}. */
  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);
  /** Default {@link #probeInterval()}. */
  public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(5);

  public EvidenceClientSettings {
    requireText(eventsTopic, "eventsTopic");
    requireText(gapsTopic, "gapsTopic");
    Objects.requireNonNull(bufferDir, "EvidenceClientSettings: bufferDir");
    if (maxBufferBytes < 1 || maxBufferedEvents < 1 || maxEventBytes < 1) {
      throw new IllegalArgumentException("EvidenceClientSettings: maxBufferBytes, maxBufferedEvents and maxEventBytes must be >= 1");
    }
    requirePositive(sendTimeout, "sendTimeout");
    requirePositive(probeInterval, "probeInterval");
  }

  /** The catalog topics and the defaults above, buffering in {@code bufferDir}. */
  public static EvidenceClientSettings defaults(Path bufferDir) {
    return new EvidenceClientSettings(TopicCatalog.EVIDENCE_EVENTS, TopicCatalog.EVIDENCE_GAPS, bufferDir,
        DEFAULT_MAX_BUFFER_BYTES, DEFAULT_MAX_BUFFERED_EVENTS, DEFAULT_MAX_EVENT_BYTES, DEFAULT_SEND_TIMEOUT,
        DEFAULT_PROBE_INTERVAL);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("EvidenceClientSettings: " + name + " must not be blank");
    }
  }

  private static void requirePositive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("EvidenceClientSettings: " + name + " must be positive, was " + value);
    }
  }
}

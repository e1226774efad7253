package dev.quartet.contracts.kafka;

import java.util.Optional;

/**
 * Why an {@link EventConsumerLoop} stopped on its own: a handler threw, a dead letter could not
 * be written, or the consumer failed. Undecodable records never cause it: they are dead-lettered.
 */
public final class ConsumerLoopException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String source;

  /**
   * @param source the record being processed as {@code topic-partition@offset}, or {@code null}
   *     when the failure is not tied to one record
   */
  public ConsumerLoopException(String message, String source, Throwable cause) {
    super(source == null ? message : message + " at " + source, cause);
    this.source = source;
  }

  /** The record ({@code topic-partition@offset}) being processed when the loop failed, if any. */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }
}

package dev.quartet.contracts.kafka;

/**
 * Handles one decoded event for an {@link EventConsumerLoop}. Called on the loop's thread, one
 * event at a time, in offset order per partition.
 *
 * <p>Delivery is at-least-once: after a crash or rebalance an event may be handled again, so
 * handlers must be idempotent (e.g. keyed on the event id). A handler that throws stops the loop.
 */
@FunctionalInterface
public interface EventHandler {
  /**
   * Handles {@code event}; returning normally lets the loop commit its offset.
   *
   * @throws Exception any failure; the loop stops without committing this event's offset and
   *     exposes the failure as a {@link ConsumerLoopException}
   */
  void handle(ConsumedEvent event) throws Exception;
}

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

  /**
   * Ends a poll's batch: called after the batch's events were handled and before their offsets
   * are committed, so a handler may defer work (one database transaction for the whole batch)
   * until here. A batch is at most {@link ConsumerLoopConfig#maxPollRecords()} events.
   *
   * @throws Exception any failure; the loop stops and commits none of the batch's offsets
   */
  default void endBatch() throws Exception {}
}

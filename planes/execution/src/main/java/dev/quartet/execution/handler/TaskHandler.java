package dev.quartet.execution.handler;

/**
 * A handler kind (SPI): runs one task attempt of a registered tool. Custom handlers are found with
 * {@link java.util.ServiceLoader}. Implementations must return promptly when the calling thread is
 * interrupted ({@code quartet task cancel}), stopping whatever they started, and must never put
 * payload content in a failure reason or a log line.
 */
public interface TaskHandler {
  /** The tool kind this handler runs, e.g. {@code transform}; custom kinds are lowercase names. */
  String kind();

  /**
   * Runs one attempt.
   *
   * @throws HandlerFailure when the attempt fails; {@link HandlerFailure#retryable()} says whether another attempt may help
   * @throws InterruptedException when the task was cancelled while running
   */
  HandlerOutput run(HandlerInvocation call) throws HandlerFailure, InterruptedException;
}

package dev.quartet.execution.handler;

/**
 * A failed handler attempt. The reason is short and names the limit, status or step that failed;
 * it never carries payload content, so it can go into events and logs as it is.
 */
public final class HandlerFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  private HandlerFailure(String reason, boolean retryable) {
    super(reason, null, false, false);  // no stack trace: a failure here is an expected outcome
    this.retryable = retryable;
  }

  /** A failure another attempt may not see (server busy, timeout, connection refused). */
  public static HandlerFailure retryable(String reason) {
    return new HandlerFailure(reason, true);
  }

  /** A failure every attempt would see again (bad input, refused egress, non-zero exit). */
  public static HandlerFailure permanent(String reason) {
    return new HandlerFailure(reason, false);
  }

  /** True when another attempt may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** The short reason, without payload content. */
  public String reason() {
    return getMessage();
  }
}

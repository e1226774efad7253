package dev.quartet.runtime;

import java.time.Duration;

/** A bounded resource is full; answered 429 with Retry-After. */
public final class OverloadedException extends RuntimeException {
  private final Duration retryAfter;

  /** @param what the resource that is full, e.g. "tail streams (32)" */
  public OverloadedException(String what, Duration retryAfter) {
    super(what + " at capacity; retry after " + retryAfter.toSeconds() + "s");
    this.retryAfter = retryAfter;
  }

  /** When the caller may try again. */
  public Duration retryAfter() {
    return retryAfter;
  }
}

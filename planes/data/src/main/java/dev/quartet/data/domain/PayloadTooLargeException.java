package dev.quartet.data.domain;

import java.io.IOException;

/**
 * An upload broke a hard size limit. An {@link IOException} so it can leave a stream read; it
 * carries the limit's name, its value and how many bytes were seen (declared or read).
 */
public final class PayloadTooLargeException extends IOException {
  private final String limitName;
  private final long limit;
  private final long seen;
  private final boolean declared;

  /** @param declared whether {@code seen} is the declared Content-Length rather than bytes read */
  public PayloadTooLargeException(String limitName, long limit, long seen, boolean declared) {
    super("payload of " + (declared ? "declared length " + seen : "more than " + limit + " bytes (stopped reading at "
        + seen + ")") + " is over the limit " + limitName + " = " + limit + " bytes");
    this.limitName = limitName;
    this.limit = limit;
    this.seen = seen;
    this.declared = declared;
  }

  /** The limit's configuration name, e.g. {@code max-input-bytes}. */
  public String limitName() {
    return limitName;
  }

  /** The limit in bytes. */
  public long limit() {
    return limit;
  }

  /** Bytes seen before the refusal: the declared length, or limit + 1 when reading stopped. */
  public long seen() {
    return seen;
  }

  /** Whether the refusal came from the declared length, before reading anything. */
  public boolean declared() {
    return declared;
  }
}

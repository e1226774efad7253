package dev.quartet.data.domain;

import java.io.IOException;

/**
 * Stored bytes failed verification: a chunk failed authentication, the stream was truncated or
 * reordered, the key is unknown or wrong, or the plaintext digest differs from the recorded one.
 * Thrown instead of returning any unverified byte.
 */
public final class PayloadIntegrityException extends IOException {
  /** @param reason which check failed, e.g. "chunk 3 failed authentication"; never key material */
  public PayloadIntegrityException(String reason) {
    super(reason);
  }

  /** @param reason which check failed */
  public PayloadIntegrityException(String reason, Throwable cause) {
    super(reason, cause);
  }
}

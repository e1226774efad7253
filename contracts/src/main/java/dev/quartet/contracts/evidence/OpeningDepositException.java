package dev.quartet.contracts.evidence;

/** Openings were not deposited; {@link #retryable()} when another attempt may succeed. Never carries a value. */
public final class OpeningDepositException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  /** A failure described by {@code reason} (status, exception class; never a value or a salt). */
  public OpeningDepositException(boolean retryable, String reason) {
    super(reason, null, false, false);
    this.retryable = retryable;
  }

  /** True when the evidence plane was unreachable, overloaded or failing, so a later attempt may succeed. */
  public boolean retryable() {
    return retryable;
  }
}

package dev.quartet.runtime;

import dev.quartet.contracts.ProblemType;

/** A refusal of a stable problem type; answered with its status and {@code detail}. */
public final class ProblemException extends RuntimeException {
  private final ProblemType type;

  /** @param detail what is wrong, for the caller; never internals */
  public ProblemException(ProblemType type, String detail) {
    super(detail);
    this.type = type;
  }

  /** The problem type, which fixes the HTTP status. */
  public ProblemType type() {
    return type;
  }
}

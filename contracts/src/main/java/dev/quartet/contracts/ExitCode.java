package dev.quartet.contracts;

/**
 * Process exit codes of every {@code quartet} command, as the SPEC fixes them: scripts depend on
 * these numbers, so they never change meaning.
 */
public enum ExitCode {
  /** The command did what was asked. */
  OK(0),
  /** The request was rejected, invalid, or a verification failed. */
  REJECTED(1),
  /** The command line itself was wrong (unknown option, missing argument). */
  USAGE(2),
  /** The server was unavailable or overloaded, still so after the client's retries. */
  UNAVAILABLE(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The numeric process exit status. */
  public int code() {
    return code;
  }
}

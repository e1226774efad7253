package dev.quartet.bench;

/** Kafka did not answer, or refused what a scenario needs: the run cannot go on (exit code 3). */
public final class BenchUnavailableException extends RuntimeException {
  public BenchUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

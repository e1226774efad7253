package dev.quartet.bench;

/** A scenario could not complete; the run stops, naming it and the cause. */
public final class ScenarioFailedException extends RuntimeException {
  public ScenarioFailedException(String scenario, Throwable cause) {
    super("scenario " + scenario + " failed: " + cause.getMessage(), cause);
  }
}

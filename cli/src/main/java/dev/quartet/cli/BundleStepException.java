package dev.quartet.cli;

/** A verification step failed; carried up to {@link BundleVerifier}, which turns it into a {@link BundleVerification.Failed}. */
final class BundleStepException extends RuntimeException {
  private final String step;

  BundleStepException(String step, String reason) {
    super(reason, null, false, false); // an expected outcome: no stack trace to fill
    this.step = step;
  }

  String step() {
    return step;
  }

  String reason() {
    return getMessage();
  }
}

package dev.quartet.cli;

import dev.quartet.contracts.ExitCode;

/** A command failed for a reason the user should read: one line, and the exit code it maps to. */
final class CliFailure extends RuntimeException {
  private final ExitCode exitCode;

  CliFailure(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  ExitCode exitCode() {
    return exitCode;
  }
}

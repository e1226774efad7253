package dev.quartet.execution.handler;

import java.time.Duration;

/**
 * Bounds of one handler attempt, from configuration.
 *
 * @param timeout wall-clock bound of the whole attempt (all redirects, the process's whole life)
 * @param maxOutputBytes the largest output accepted; beyond it the attempt fails
 * @param connectTimeout bound of one TCP connect (http)
 * @param maxRedirects redirects followed before the attempt fails (http)
 * @param maxDiagnosticBytes bytes of diagnostics kept, e.g. a process's stderr or an HTTP response head
 */
public record HandlerLimits(Duration timeout, long maxOutputBytes, Duration connectTimeout, int maxRedirects,
                            int maxDiagnosticBytes) {
  /** @throws IllegalArgumentException if a bound is not positive ({@code maxRedirects} may be 0) */
  public HandlerLimits {
    if (timeout.isNegative() || timeout.isZero() || connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (maxOutputBytes < 1 || maxDiagnosticBytes < 1 || maxRedirects < 0) {
      throw new IllegalArgumentException("maxOutputBytes and maxDiagnosticBytes must be positive, maxRedirects >= 0");
    }
  }
}

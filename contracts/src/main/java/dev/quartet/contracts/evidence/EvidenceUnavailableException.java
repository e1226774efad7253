package dev.quartet.contracts.evidence;

/**
 * Evidence could not be durably written. Work marked evidence-required must fail closed on it:
 * not start, or stop.
 */
public class EvidenceUnavailableException extends RuntimeException {
  EvidenceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

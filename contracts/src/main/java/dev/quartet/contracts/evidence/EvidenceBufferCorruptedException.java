package dev.quartet.contracts.evidence;

/** The local evidence buffer did not authenticate: a frame was altered, reordered, removed or truncated. */
public class EvidenceBufferCorruptedException extends Exception {
  EvidenceBufferCorruptedException(String message, Throwable cause) {
    super(message, cause);
  }
}

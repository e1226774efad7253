package dev.quartet.runtime;

/** A request a plane refuses as malformed or invalid; answered 400 with the message as detail. */
public final class InvalidRequestException extends RuntimeException {
  /** @param message what is wrong, for the caller; never internals */
  public InvalidRequestException(String message) {
    super(message);
  }
}

package dev.quartet.schemas;

import java.util.Objects;

/** Bytes that are not a Quartet event this codec can decode; {@link #reason()} says why. */
public final class UndecodableEventException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why the bytes could not be decoded. */
  public enum Reason {
    /** Null, too short, or not starting with the Avro single-object header {@code C3 01}. */
    NOT_SINGLE_OBJECT_ENCODED,
    /** The header names a schema fingerprint that is not a released (or current) Quartet schema. */
    UNKNOWN_FINGERPRINT,
    /** The header is fine but the body does not match the schema it names. */
    CORRUPT,
    /** A well-formed event, but not of the type the caller asked for. */
    UNEXPECTED_TYPE
  }

  private final Reason reason;

  public UndecodableEventException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public UndecodableEventException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the bytes could not be decoded. */
  public Reason reason() {
    return reason;
  }
}

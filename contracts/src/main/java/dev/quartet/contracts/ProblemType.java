package dev.quartet.contracts;

import java.net.URI;
import java.util.Optional;

/**
 * Stable RFC 9457 problem {@code type} URIs of the HTTP API, with their HTTP status and title.
 * Clients switch on the URI, never on {@code detail}; a URI once published keeps its meaning.
 */
public enum ProblemType {
  UNAUTHORIZED("unauthorized", 401, "Unauthorized", ExitCode.REJECTED),
  FORBIDDEN("forbidden", 403, "Forbidden", ExitCode.REJECTED),
  NOT_FOUND("not-found", 404, "Not found", ExitCode.REJECTED),
  VALIDATION("validation", 400, "Validation failed", ExitCode.REJECTED),
  CONFLICT("conflict", 409, "Conflict", ExitCode.REJECTED),
  PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large", ExitCode.REJECTED),
  /** Answered with {@code Retry-After}; clients retry before giving up. */
  OVERLOADED("overloaded", 429, "Overloaded", ExitCode.UNAVAILABLE),
  UNAVAILABLE("unavailable", 503, "Service unavailable", ExitCode.UNAVAILABLE),
  // A server fault says nothing about the request's validity, so the CLI reports it like an
  // outage (exit 3) rather than a rejection (exit 1) that would invite the user to change input.
  INTERNAL("internal", 500, "Internal error", ExitCode.UNAVAILABLE);

  /** Every problem type URI starts with this. */
  public static final String BASE = "https://quartet.dev/problems/";

  private final URI type;
  private final int status;
  private final String title;
  private final ExitCode exitCode;

  ProblemType(String slug, int status, String title, ExitCode exitCode) {
    this.type = URI.create(BASE + slug);
    this.status = status;
    this.title = title;
    this.exitCode = exitCode;
  }

  /** The problem's {@code type} member, e.g. {@code https://quartet.dev/problems/conflict}. */
  public URI type() {
    return type;
  }

  /** The HTTP status the API answers with. */
  public int status() {
    return status;
  }

  /** The problem's short, human-readable {@code title}; constant for a type. */
  public String title() {
    return title;
  }

  /** The exit code the CLI maps this problem to (after its retries, for overload). */
  public ExitCode exitCode() {
    return exitCode;
  }

  /** The problem type with this {@code type} URI, if Quartet defines it. */
  public static Optional<ProblemType> fromType(String type) {
    for (ProblemType p : values()) {
      if (p.type.toString().equals(type)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}

package dev.quartet.runtime;

import dev.quartet.contracts.ProblemType;
import io.micronaut.serde.annotation.Serdeable;

/** An RFC 9457 problem details body; {@code detail} never carries internals. */
@Serdeable
public record Problem(String type, String title, int status, String detail) {
  /** The problem of a given stable type with a caller-facing detail. */
  public static Problem of(ProblemType type, String detail) {
    return new Problem(type.type().toString(), type.title(), type.status(), detail);
  }
}

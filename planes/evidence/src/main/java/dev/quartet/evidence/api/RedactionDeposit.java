package dev.quartet.evidence.api;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** What an emitter deposits before it emits a redacted event: the opening of each committed attribute. */
@Serdeable
public record RedactionDeposit(List<Opening> openings) {
  /** One attribute's salt (base64, 32 bytes) and value; the plane recomputes the commitment. */
  @Serdeable
  public record Opening(String attribute, String salt, String value) {}
}

package dev.quartet.contracts.config;

/** A signed config document that is malformed, naming the field path ({@code body.routes[0].name}) and why. */
public final class ConfigDocumentException extends IllegalArgumentException {
  private final String field;

  /** @param field JSON path of the offending field ({@code $} for the whole document) */
  public ConfigDocumentException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
  }

  /** The JSON path of the offending field. */
  public String field() {
    return field;
  }
}

package dev.quartet.execution.domain;

/** A config document that cannot be a snapshot; names the field path that is wrong. */
public final class ConfigDocumentException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String field;

  /** @param field the JSON path of the offending field, e.g. {@code body.degradedMode.grace} */
  public ConfigDocumentException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The JSON path of the offending field. */
  public String field() {
    return field;
  }
}

package dev.quartet.execution.policy;

/** A policy section of a config body that cannot be read; names the field path that is wrong. */
public final class PolicyConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;

  /** @param field the JSON path of the offending field, e.g. {@code body.tools[2].command} */
  public PolicyConfigException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The JSON path of the offending field. */
  public String field() {
    return field;
  }
}

package dev.quartet.control.domain;

/** A configuration document that is not well-formed; names the offending field path. */
public final class ConfigDocumentException extends RuntimeException {
  private final String path;

  /** @param path JSON path of the field, e.g. {@code body.routes[0].maxInputBytes} */
  public ConfigDocumentException(String path, String problem) {
    super(path + ": " + problem);
    this.path = path;
  }

  /** The JSON path of the offending field. */
  public String path() {
    return path;
  }
}

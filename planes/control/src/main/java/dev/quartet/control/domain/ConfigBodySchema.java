package dev.quartet.control.domain;

import dev.quartet.contracts.trust.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The published JSON Schema of a configuration body ({@value #RESOURCE} on the classpath, shipped
 * in the control plane's jar, served at {@code GET /v1/config/schema} and printed offline by
 * {@code quartet config schema}). Every body the control plane accepts, and every document
 * {@code quartet config sign} signs, validates against it.
 */
public final class ConfigBodySchema {
  /** Classpath location of the schema document (JSON Schema draft 2020-12). */
  public static final String RESOURCE = "/dev/quartet/control/config-body.schema.json";
  private static final byte[] DOCUMENT = load();
  private static final JsonSchemaValidator VALIDATOR = new JsonSchemaValidator(parsed());

  private ConfigBodySchema() {}

  /**
   * Validates a body in the JSON value model (numbers as {@code Double}); paths start at {@code body}.
   *
   * @throws ConfigDocumentException naming the path of the first violation, e.g.
   *     {@code body.routes[0].maxInputBytes: must be a size such as 10MiB}
   */
  public static void validate(Map<String, Object> body) {
    VALIDATOR.validate(body, "body");
  }

  /** The schema document exactly as published. */
  public static byte[] document() {
    return DOCUMENT.clone();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parsed() {
    return (Map<String, Object>) JsonParser.parse(DOCUMENT);
  }

  private static byte[] load() {
    try (InputStream in = ConfigBodySchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the control plane's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}

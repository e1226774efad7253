package dev.quartet.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/** Schemas under src/test/resources/compat-fixtures: hypothetical evolutions of released ones. */
final class Fixtures {

  private Fixtures() {}

  static Schema schema(String file) {
    String resource = "compat-fixtures/" + file;
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }
}

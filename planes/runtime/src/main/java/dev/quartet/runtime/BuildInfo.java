package dev.quartet.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version this build of Quartet carries, stamped into evidence as the producer version. */
public final class BuildInfo {
  private static final String VERSION = load();

  private BuildInfo() {}

  /** The Maven project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("/quartet-build.properties")) {
      if (in == null) {
        throw new IllegalStateException("quartet-build.properties missing from the runtime jar");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read quartet-build.properties", e);
    }
  }
}

package dev.quartet.evidence.domain;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The published test vectors in /work/shared/vectors (see SOURCES.md there), read relative to the module dir. */
public final class SharedVectors {
  private static final Path ROOT = Path.of("../../../shared/vectors");
  private static final ObjectMapper JSON = new ObjectMapper();

  private SharedVectors() {}

  /** The parsed JSON file at {@code relative} under the vectors folder; fails the test if it is missing. */
  public static JsonNode json(String relative) {
    Path p = ROOT.resolve(relative);
    if (!Files.isRegularFile(p)) {
      fail("missing published test vector " + p.toAbsolutePath().normalize()
          + ": tests run from planes/evidence and expect ../../../shared/vectors (see its SOURCES.md)");
    }
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + p, e);
    }
  }

  /** Hex-decodes a JSON string. */
  public static byte[] hex(JsonNode n) {
    return HexFormat.of().parseHex(n.asText());
  }

  /** Hex-decodes every string of a JSON array. */
  public static List<byte[]> hexList(JsonNode array) {
    List<byte[]> out = new ArrayList<>();
    array.forEach(n -> out.add(hex(n)));
    return out;
  }

  /** The strings of a JSON array (empty when the node is missing). */
  public static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  /** Lowercase hex, for failure messages. */
  public static String hex(byte[] b) {
    return b == null ? "null" : HexFormat.of().formatHex(b);
  }
}

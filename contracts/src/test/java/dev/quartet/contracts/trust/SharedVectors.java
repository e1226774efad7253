package dev.quartet.contracts.trust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/** The published test vectors in /work/shared/vectors (see SOURCES.md there), read from the module dir. */
final class SharedVectors {
  static final Path ROOT = Path.of("../../shared/vectors");

  private SharedVectors() {}

  static Path file(String relative) {
    Path p = ROOT.resolve(relative);
    if (!Files.isRegularFile(p)) {
      fail("missing published test vector " + p.toAbsolutePath().normalize()
          + ": tests run from the module dir and expect ../../shared/vectors (see its SOURCES.md)");
    }
    return p;
  }

  static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Object json(String relative) {
    return JsonParser.parse(bytes(relative));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  static byte[] hex(Object s) {
    return HexFormat.of().parseHex((String) s);
  }

  static byte[] flipBit(byte[] in, int bit) {
    byte[] out = in.clone();
    out[bit / 8] ^= (byte) (1 << (bit % 8));
    return out;
  }
}

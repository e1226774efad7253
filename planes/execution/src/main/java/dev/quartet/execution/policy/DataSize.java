package dev.quartet.execution.policy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A byte count as written in a config body: {@code 256KiB}, {@code 10MiB}, {@code 1024} or {@code 512B}. */
public record DataSize(long bytes) {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,18})(B|KiB|MiB|GiB|TiB)?");

  /** @throws IllegalArgumentException if negative */
  public DataSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size cannot be negative");
    }
  }

  /** Parses a size with an optional IEC unit. @throws IllegalArgumentException if malformed or above 2^63 - 1 */
  public static DataSize parse(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("must be a size such as 1024, 512B, 256KiB, 10MiB, 10GiB or 1TiB");
    }
    int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
      case "KiB" -> 10;
      case "MiB" -> 20;
      case "GiB" -> 30;
      case "TiB" -> 40;
      default -> 0;
    };
    long n = Long.parseLong(m.group(1));
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("size is too large");
    }
    return new DataSize(n << shift);
  }
}

package dev.quartet.contracts.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as config writes them: {@code 10MiB}, {@code 512KiB}, {@code 1048576} or {@code 20B} (binary units only). */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,19})(B|KiB|MiB|GiB|TiB)?");

  private ByteSize() {}

  /**
   * The number of bytes {@code value} (a size string or a whole JSON number) names.
   *
   * @throws IllegalArgumentException when it is neither, or does not fit in a long
   */
  public static long parse(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (d < 0 || d != Math.rint(d) || d > 9_007_199_254_740_991d) {
        throw new IllegalArgumentException("must be a whole number of bytes, was " + value);
      }
      return (long) d;
    }
    Matcher m = SIZE.matcher(value instanceof String s ? s : "");
    if (!m.matches()) {
      throw new IllegalArgumentException("must be a size such as 10MiB, 512KiB or 1048576, was " + value);
    }
    int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
      case "KiB" -> 10;
      case "MiB" -> 20;
      case "GiB" -> 30;
      case "TiB" -> 40;
      default -> 0;
    };
    try {
      long n = Long.parseLong(m.group(1));
      if (n > (Long.MAX_VALUE >> shift)) {
        throw new IllegalArgumentException("size " + value + " is too large");
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size " + value + " is too large");
    }
  }
}

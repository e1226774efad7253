package dev.quartet.contracts.trust;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 8785 JSON Canonicalization Scheme: the bytes Quartet signs and hashes. Accepts the value
 * model of {@link JsonParser} (Map with String keys, List, String, Number, Boolean, null).
 *
 * <ul>
 *   <li>object members sorted by the UTF-16 code units of their names ({@link String#compareTo});
 *   <li>numbers as ECMAScript {@code Number.prototype.toString} ({@link Es6Number});
 *   <li>strings escape only {@code "}, {@code \}, and U+0000..U+001F (short forms where JSON has
 *       them, else {@code \}{@code u00xx} lowercase); everything else is literal UTF-8;
 *   <li>no whitespace.
 * </ul>
 */
public final class CanonicalJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  /** Canonical UTF-8 bytes of {@code value}. @throws IllegalArgumentException for values RFC 8785 cannot express */
  public static byte[] serialize(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 0);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Parses {@code json} strictly and returns its canonical bytes. @throws IllegalArgumentException if it is not strict JSON */
  public static byte[] canonicalize(byte[] json) {
    return serialize(JsonParser.parse(json));
  }

  /** Index of the first unpaired UTF-16 surrogate in {@code s}, or -1: such strings have no UTF-8 form. */
  static int loneSurrogateAt(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static void write(StringBuilder out, Object value, int depth) {
    if (depth > JsonParser.MAX_DEPTH) {
      throw new IllegalArgumentException("canonical JSON: nesting deeper than " + JsonParser.MAX_DEPTH + " (or a cycle)");
    }
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue() ? "true" : "false");
    } else if (value instanceof String s) {
      string(out, s);
    } else if (value instanceof Number n) {
      out.append(Es6Number.format(toDouble(n)));
    } else if (value instanceof Map<?, ?> m) {
      object(out, m, depth);
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(out, list.get(i), depth + 1);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("canonical JSON: unsupported value type " + value.getClass().getName());
    }
  }

  private static void object(StringBuilder out, Map<?, ?> m, int depth) {
    TreeMap<String, Object> sorted = new TreeMap<>(); // String order is UTF-16 code-unit order, as RFC 8785 §3.2.3 asks
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException("canonical JSON: object keys must be strings");
      }
      sorted.put(key, e.getValue());
    }
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, e.getKey());
      out.append(':');
      write(out, e.getValue(), depth + 1);
    }
    out.append('}');
  }

  private static void string(StringBuilder out, String s) {
    if (loneSurrogateAt(s) >= 0) {
      throw new IllegalArgumentException("canonical JSON: string contains a lone surrogate at index " + loneSurrogateAt(s));
    }
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  private static double toDouble(Number n) {
    if (n instanceof Double || n instanceof Float || n instanceof BigDecimal) {
      return n.doubleValue();
    }
    // Integral types must survive the trip through binary64, or the signed bytes would lie.
    BigInteger exact = n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
    double d = exact.doubleValue();
    if (Double.isInfinite(d) || new BigDecimal(d).toBigIntegerExact().compareTo(exact) != 0) {
      throw new IllegalArgumentException("canonical JSON: integer " + exact + " is not exactly representable as an IEEE-754 double");
    }
    return d;
  }
}

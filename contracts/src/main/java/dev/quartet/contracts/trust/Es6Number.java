package dev.quartet.contracts.trust;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a double exactly as ECMAScript's {@code Number.prototype.toString} does, which RFC 8785
 * §3.2.2.3 makes the canonical JSON number form: shortest round-tripping digits, closest to the
 * value, plain notation for 1e-6 &le; |x| &lt; 1e21 and {@code d.ddde±x} otherwise.
 *
 * <p>Java 17's {@code Double.toString} is not always shortest (JDK-4511638, fixed only in 19), so
 * the digits are searched for here with exact decimal arithmetic.
 */
public final class Es6Number {
  private static final double EXACT_LONG_LIMIT = 0x1p53;
  private static final int MAX_DIGITS = 17; // 17 significant digits always round-trip a binary64

  private Es6Number() {}

  /** The ES6 string of {@code value}; {@code -0} gives {@code "0"}. @throws IllegalArgumentException for NaN and infinities */
  public static String format(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("JSON numbers must be finite: NaN and Infinity have no RFC 8785 form");
    }
    if (value == 0) {
      return "0";
    }
    if (value < 0) {
      return "-" + format(-value);
    }
    if (value < EXACT_LONG_LIMIT && value == Math.rint(value)) {
      return Long.toString((long) value); // integers below 2^53 print all their digits
    }
    BigDecimal digits = shortest(value).stripTrailingZeros();
    String s = digits.unscaledValue().toString();
    return layout(s, s.length() - digits.scale());
  }

  /** The decimal with the fewest significant digits that reads back as {@code value}, closest on ties. */
  private static BigDecimal shortest(double value) {
    BigDecimal exact = new BigDecimal(value);
    // If p digits round-trip, p+1 do too (append a zero): binary search for the least p.
    int lo = 1;
    int hi = MAX_DIGITS;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (closestRoundTripping(exact, value, mid) != null) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    BigDecimal best = closestRoundTripping(exact, value, lo);
    if (best == null) {
      throw new IllegalStateException("no " + MAX_DIGITS + "-digit decimal reads back as " + value);
    }
    return best;
  }

  /** Of the two p-digit decimals around {@code exact}, the one that reads back and is closest; null if neither. */
  private static BigDecimal closestRoundTripping(BigDecimal exact, double value, int p) {
    BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
    BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
    boolean downOk = Double.parseDouble(down.toString()) == value;
    boolean upOk = Double.parseDouble(up.toString()) == value;
    if (downOk && upOk) {
      int cmp = exact.subtract(down).compareTo(up.subtract(exact));
      if (cmp != 0) {
        return cmp < 0 ? down : up;
      }
      // ECMA-262 Number::toString step 5: on an exact tie choose the even digit string.
      return down.unscaledValue().testBit(0) ? up : down;
    }
    return downOk ? down : upOk ? up : null;
  }

  /** ECMA-262 Number::toString steps 6-10, for digits {@code s} (k of them) and value s × 10^(n−k). */
  private static String layout(String s, int n) {
    int k = s.length();
    if (k <= n && n <= 21) {
      return s + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return s.substring(0, n) + "." + s.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + s;
    }
    int e = n - 1;
    String exponent = "e" + (e < 0 ? "-" : "+") + Math.abs(e);
    return k == 1 ? s + exponent : s.charAt(0) + "." + s.substring(1) + exponent;
  }
}

package dev.quartet.contracts.trust;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.quartet.contracts.trust.SharedVectors.list;
import static dev.quartet.contracts.trust.SharedVectors.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class Es6NumberTest {
  static final long SEED = 8785L;

  @Test
  void publishedEs6SamplesFormatExactly() {
    List<Object> samples = list(map(SharedVectors.json("jcs/es6_number_samples.json")).get("samples"));
    assertEquals(7, samples.size());
    for (Object o : samples) {
      Map<String, Object> s = map(o);
      String hex = (String) s.get("ieee754_hex");
      double d = Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
      assertEquals(s.get("expected"), Es6Number.format(d), "IEEE-754 bits " + hex);
    }
  }

  @Test
  void followsEcmaScriptLayoutRules() {
    assertEquals("100", Es6Number.format(100));
    assertEquals("1.5", Es6Number.format(1.5));
    assertEquals("-1.5", Es6Number.format(-1.5));
    assertEquals("0.30000000000000004", Es6Number.format(0.1 + 0.2));
    assertEquals("123456789012345680000", Es6Number.format(123456789012345678901.0));
    assertEquals("1152921504606847000", Es6Number.format(0x1p60));
    assertEquals("1e+21", Es6Number.format(1e21));
    assertEquals("1.5e+300", Es6Number.format(1.5e300));
    assertEquals("1e+23", Es6Number.format(1e23));
    assertEquals("0.000001", Es6Number.format(1e-6));
    assertEquals("1e-7", Es6Number.format(1e-7));
    assertEquals("1.23e-18", Es6Number.format(123e-20));
    assertEquals("5e-324", Es6Number.format(Double.MIN_VALUE));
    assertEquals("1.7976931348623157e+308", Es6Number.format(Double.MAX_VALUE));
    assertEquals("9007199254740992", Es6Number.format(0x1p53));
    assertEquals("0", Es6Number.format(-0.0));
  }

  @Test
  void picksShortestDigitsWhereJava17DoubleToStringDoesNot() {
    // JDK-4511638: Java 17 prints 2^-44 as 5.6843418860808015E-14; the shortest round trip has 16 digits.
    assertEquals("5.684341886080802e-14", Es6Number.format(0x1p-44));
    assertEquals("2e-323", Es6Number.format(2.0e-323));
  }

  @Test
  void refusesNaNAndInfinities() {
    for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Es6Number.format(d));
      assertTrue(e.getMessage().contains("finite"), e.getMessage());
    }
  }

  @Test
  void seededRandomDoublesRoundTripWithTheFewestDigits() {
    Random random = new Random(SEED);
    for (int i = 0; i < 20_000; i++) {
      double d = randomFinite(random);
      String s = Es6Number.format(d);
      String ctx = "seed " + SEED + " case " + i + ": " + Double.doubleToRawLongBits(d) + " -> " + s;
      assertEquals(d == 0 ? 0.0 : d, Double.parseDouble(s), ctx);
      int digits = significantDigits(s);
      if (digits > 1 && d != 0) {
        // No decimal with one digit fewer reads back as d (round-tripping is monotone in the digit count).
        BigDecimal exact = new BigDecimal(Math.abs(d));
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
          BigDecimal shorter = exact.round(new MathContext(digits - 1, mode));
          if (Double.parseDouble(shorter.toString()) == Math.abs(d)) {
            fail(ctx + ": " + shorter + " is shorter and also round-trips");
          }
        }
      }
      String jdk = Double.toString(Math.abs(d));
      assertTrue(digits <= significantDigits(jdk), ctx + " vs Java's " + jdk);
    }
  }

  static double randomFinite(Random random) {
    switch (random.nextInt(4)) {
      case 0: {
        double d;
        do {
          d = Double.longBitsToDouble(random.nextLong());
        } while (Double.isNaN(d) || Double.isInfinite(d));
        return d;
      }
      case 1: return random.nextInt() / Math.pow(10, random.nextInt(12));
      case 2: return random.nextLong() * Math.pow(2, random.nextInt(200) - 100);
      default: return (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(60) - 30);
    }
  }

  /** Significant digits of an ES6 or Java number string. */
  static int significantDigits(String s) {
    String mantissa = s.replace("-", "").split("[eE]")[0].replace(".", "");
    mantissa = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
    return Math.max(1, mantissa.length());
  }
}

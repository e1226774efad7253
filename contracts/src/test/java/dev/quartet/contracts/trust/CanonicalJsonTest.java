package dev.quartet.contracts.trust;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.quartet.contracts.trust.SharedVectors.list;
import static dev.quartet.contracts.trust.SharedVectors.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanonicalJsonTest {

  @Test
  void everyPublishedRfc8785VectorCanonicalizesToTheExpectedBytes() {
    List<Object> pairs = list(map(SharedVectors.json("jcs/index.json")).get("pairs"));
    assertEquals(6, pairs.size());
    for (Object o : pairs) {
      Map<String, Object> pair = map(o);
      String name = (String) pair.get("name");
      byte[] expected = SharedVectors.bytes("jcs/" + pair.get("expected_output"));
      byte[] expectedFromHex = HexFormat.of().parseHex(
          new String(SharedVectors.bytes("jcs/" + pair.get("expected_output_hex")), StandardCharsets.US_ASCII).replaceAll("\\s", ""));
      assertArrayEquals(expected, expectedFromHex, name + ": output and outhex agree");
      byte[] actual = CanonicalJson.canonicalize(SharedVectors.bytes("jcs/" + pair.get("input")));
      assertEquals(new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8), name);
      assertArrayEquals(expected, actual, name + ": bytes");
      assertArrayEquals(expected, CanonicalJson.canonicalize(actual), name + ": canonical form is a fixed point");
    }
  }

  @Test
  void sortsKeysByUtf16CodeUnitsNotCodePoints() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("\ufb01", 3);        // U+FB01
    m.put("\ud83d\ude00", 2);  // U+1F600: code point above U+FB01, but its first code unit D83D is below FB01
    m.put("\u20ac", 1);        // U+20AC
    m.put("b", 0);
    m.put("a", 0);
    assertEquals("{\"a\":0,\"b\":0,\"\u20ac\":1,\"\ud83d\ude00\":2,\"\ufb01\":3}",
        new String(CanonicalJson.serialize(m), StandardCharsets.UTF_8));
  }

  @Test
  void escapesOnlyQuoteBackslashAndControlCharacters() {
    String s = "\"\\/\b\f\n\r\t\u0000\u001f\u007f\u2028\u00e9";
    assertEquals("\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\u2028\u00e9\"",
        new String(CanonicalJson.serialize(s), StandardCharsets.UTF_8));
  }

  @Test
  void serializesLiteralsNumbersAndNesting() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", List.of(1, 2.5, -0.0, 1e21, Long.valueOf(1L << 53)));
    m.put("y", null);
    m.put("x", List.of(true, false, Map.of()));
    assertEquals("{\"x\":[true,false,{}],\"y\":null,\"z\":[1,2.5,0,1e+21,9007199254740992]}",
        new String(CanonicalJson.serialize(m), StandardCharsets.UTF_8));
  }

  @Test
  void rejectsDuplicateKeysWithAClearMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CanonicalJson.canonicalize("{\"a\":1,\"b\":2,\"a\":3}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("duplicate key"), e.getMessage());
    // Equal after unescaping is still a duplicate.
    assertThrows(IllegalArgumentException.class,
        () -> CanonicalJson.canonicalize("{\"a\":1,\"\\u0061\":2}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void rejectsLoneSurrogatesInInputAndInValues() {
    for (String json : new String[] {"\"\\ud800\"", "\"\\udc00\"", "\"\\ud800x\"", "{\"\\ud83d\":1}", "\"\\ude00\\ud83d\""}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> CanonicalJson.canonicalize(json.getBytes(StandardCharsets.UTF_8)), json);
      assertTrue(e.getMessage().contains("lone surrogate"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CanonicalJson.serialize("a\ud800"));
    assertTrue(e.getMessage().contains("lone surrogate"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.serialize(Map.of("\udfff", 1)));
  }

  @Test
  void rejectsNaNInfinityAndInexactIntegers() {
    for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CanonicalJson.serialize(List.of(d)));
      assertTrue(e.getMessage().contains("NaN and Infinity"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CanonicalJson.serialize((1L << 53) + 1));
    assertTrue(e.getMessage().contains("not exactly representable"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize("[1e400]".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("binary64"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.serialize(new Object()));
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.serialize(Map.of(1, "non-string key")));
  }

  @Test
  void seededRandomDocumentsCanonicalizeToAFixedPointThatParsesBackEqual() {
    long seed = 20251124L;
    Random random = new Random(seed);
    for (int i = 0; i < 300; i++) {
      Object doc = randomValue(random, 0);
      byte[] canonical = CanonicalJson.serialize(doc);
      String ctx = "seed " + seed + " case " + i;
      assertArrayEquals(canonical, CanonicalJson.canonicalize(canonical), ctx + ": fixed point");
      assertArrayEquals(canonical, CanonicalJson.serialize(JsonParser.parse(canonical)), ctx + ": parse round trip");
    }
  }

  private static Object randomValue(Random r, int depth) {
    int kind = depth > 3 ? r.nextInt(4) : r.nextInt(6);
    switch (kind) {
      case 0: return null;
      case 1: return r.nextBoolean();
      case 2: return Es6NumberTest.randomFinite(r);
      case 3: return randomString(r);
      case 4: {
        List<Object> l = new ArrayList<>();
        for (int n = r.nextInt(4); n > 0; n--) {
          l.add(randomValue(r, depth + 1));
        }
        return l;
      }
      default: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int n = r.nextInt(4); n > 0; n--) {
          m.put(randomString(r), randomValue(r, depth + 1));
        }
        return m;
      }
    }
  }

  private static String randomString(Random r) {
    StringBuilder sb = new StringBuilder();
    for (int n = r.nextInt(6); n > 0; n--) {
      int cp;
      do {
        cp = r.nextInt(4) == 0 ? r.nextInt(0x20) : r.nextInt(0x10FFFF);
      } while (cp >= 0xD800 && cp <= 0xDFFF);
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }
}

package dev.quartet.contracts.trust;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonParserTest {

  @Test
  void parsesValuesIntoPlainJavaTypes() {
    Object v = JsonParser.parse(" {\"a\": [1, -2.5e1, \"x\\u00e9\\ud83d\\ude00\", true, false, null], \"b\": {}} ");
    assertEquals(Map.of("a", java.util.Arrays.asList(1.0, -25.0, "x\u00e9\ud83d\ude00", true, false, null), "b", Map.of()), v);
    assertNull(JsonParser.parse("null"));
    assertEquals(List.of(), JsonParser.parse("[]"));
    assertEquals(-0.0, JsonParser.parse("-0"));
  }

  @Test
  void rejectsWhatRfc8259DoesNotAllow() {
    String[] bad = {"", " ", "{", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "['a']", "{a:1}",
        "[1] x", "[1][2]", "\"tab\there\"", "\"\\x\"", "\"\\u12\"", "[NaN]", "[Infinity]", "[-]", "tru", "nul",
        "/* c */ 1", "[1,,2]", "{\"a\" 1}", "\"unterminated"};
    for (String s : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonParser.parse(s), s);
      assertTrue(e.getMessage().startsWith("JSON: ") && e.getMessage().contains(" at character "), e.getMessage());
    }
  }

  @Test
  void rejectsInvalidUtf8AndByteOrderMark() {
    assertThrows(IllegalArgumentException.class, () -> JsonParser.parse(new byte[] {'"', (byte) 0xc3, '"'}));
    assertThrows(IllegalArgumentException.class, () -> JsonParser.parse(new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}),
        "CESU-style encoded surrogate");
    assertThrows(IllegalArgumentException.class, () -> JsonParser.parse(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '1'}));
    assertEquals("\u00e9", JsonParser.parse("\"\u00e9\"".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void boundsNestingDepthInsteadOfOverflowingTheStack() {
    String ok = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
    JsonParser.parse(ok);
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonParser.parse(deep));
    assertTrue(e.getMessage().contains("nesting deeper than"), e.getMessage());
  }

  @Test
  void errorMessagesGivePositionsNotContent() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JsonParser.parse("{\"password\":\"hunter2\",\"password\":\"x\"}"));
    assertTrue(!e.getMessage().contains("hunter2") && !e.getMessage().contains("password"), e.getMessage());
    assertEquals("JSON: duplicate key at character 22", e.getMessage());
  }
}

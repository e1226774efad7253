package dev.quartet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonDiffTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void namesEveryAddedRemovedAndChangedValueByPath() throws Exception {
    JsonNode before = JSON.readTree("{\"a\":1,\"b\":{\"c\":[1,2,3],\"d\":\"x\"},\"gone\":true}");
    JsonNode after = JSON.readTree("{\"a\":2,\"b\":{\"c\":[1,5],\"d\":\"x\",\"e\":null},\"new\":[]}");
    List<String> seen = JsonDiff.between(before, after, 100).stream()
        .map(d -> d.kind() + " " + d.path()).toList();
    assertEquals(List.of("CHANGED $.a", "CHANGED $.b.c[1]", "REMOVED $.b.c[2]", "ADDED $.b.e", "REMOVED $.gone", "ADDED $.new"), seen);
  }

  @Test
  void equalDocumentsHaveNoDifferenceAndATypeChangeIsOne() throws Exception {
    JsonNode doc = JSON.readTree("{\"k\":[{\"x\":1}]}");
    assertEquals(List.of(), JsonDiff.between(doc, doc.deepCopy(), 100));
    var d = JsonDiff.between(doc, JSON.readTree("35"), 100);
    assertEquals(1, d.size());
    assertEquals("$", d.get(0).path());
    assertEquals(JsonDiff.Kind.CHANGED, d.get(0).kind());
  }

  @Test
  void theListIsBounded() throws Exception {
    StringBuilder a = new StringBuilder("[");
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 50; i++) {
      a.append(i == 0 ? "" : ",").append(i);
      b.append(i == 0 ? "" : ",").append(i + 1);
    }
    assertEquals(7, JsonDiff.between(JSON.readTree(a + "]"), JSON.readTree(b + "]"), 7).size());
  }
}

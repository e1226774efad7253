package dev.quartet.evidence.domain.note;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quartet.evidence.domain.SharedVectors;
import dev.quartet.evidence.domain.merkle.LeafHash;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** vectors/note/checkpoint_body_vectors.json (transparency-dev/formats, golang.org/x/mod/sumdb/tlog) and C2SP tlog-checkpoint rules. */
class CheckpointVectorsTest {
  private static final JsonNode VECTORS = SharedVectors.json("note/checkpoint_body_vectors.json");
  // transparency-dev/formats returns the lines after the root as opaque "rest" and so accepts
  // "\n\n\n" there; C2SP tlog-checkpoint says extension lines MUST be non-empty, so Quartet's
  // strict parser rejects that one vector on purpose.
  private static final String EMPTY_EXTENSION_LINES = "valid with trailing newlines";

  @Test
  void formatsPublishedBodies() {
    int checked = 0;
    for (JsonNode v : VECTORS.get("marshal")) {
      Checkpoint c = new Checkpoint(v.get("origin").asText(), v.get("size").asLong(), ascii(v.get("hash_ascii")), List.of());
      assertEquals(v.get("want").asText(), c.body(), "body of " + v.get("origin"));
      checked++;
    }
    assertEquals(2, checked, "marshal vectors");
  }

  @Test
  void parsesValidBodiesAndRejectsInvalidOnes() {
    int accepted = 0;
    int rejected = 0;
    for (JsonNode v : VECTORS.get("unmarshal")) {
      String desc = v.get("desc").asText();
      String body = v.get("m").asText();
      if (v.path("wantErr").asBoolean(false) || desc.equals(EMPTY_EXTENSION_LINES)) {
        MalformedNoteException e = assertThrows(MalformedNoteException.class, () -> Checkpoint.parse(body), desc);
        assertTrue(e.getMessage().startsWith("checkpoint"), desc + ": reason " + e.getMessage());
        rejected++;
        continue;
      }
      Checkpoint c = Checkpoint.parse(body);
      JsonNode want = v.get("want");
      assertEquals(want.get("origin").asText(), c.origin(), desc);
      assertEquals(want.get("size").asLong(), c.treeSize(), desc);
      assertArrayEquals(ascii(want.get("hash_ascii")), c.rootHash(), desc);
      String rest = String.join("", c.extensionLines().stream().map(l -> l + "\n").toList());
      assertEquals(v.get("wantRest").asText(), rest, desc + ": extension lines");
      assertEquals(body, c.body(), desc + ": formats back to the same bytes");
      accepted++;
    }
    assertEquals(4, accepted, "unmarshal vectors accepted");
    assertEquals(8, rejected, "unmarshal vectors rejected (7 wantErr + the empty-extension-lines one)");
  }

  @Test
  void readsTheGoSumdbTreeGoldenAndRejectsItsBadBodies() {
    JsonNode go = VECTORS.get("go_sumdb_tree_format");
    String origin = "go.sum database tree";
    Checkpoint c = Checkpoint.parseFor(origin, go.get("golden").asText());
    assertEquals(go.get("tree_size").asLong(), c.treeSize());
    assertArrayEquals(LeafHash.of("hello world".getBytes(StandardCharsets.US_ASCII)), c.rootHash(), "root = RecordHash(hello world)");
    assertEquals(go.get("golden").asText(), c.body());
    int rejected = 0;
    for (JsonNode bad : go.get("bad")) {
      assertThrows(MalformedNoteException.class, () -> Checkpoint.parseFor(origin, bad.asText()), bad.asText());
      rejected++;
    }
    assertEquals(3, rejected, "bad sumdb tree bodies");
  }

  @Test
  void rejectsSizesTheSpecForbids() {
    for (String size : List.of("007", "+5", " 5", "5 ", "0x10", "1e3", "", "18446744073709551615", "9223372036854775808")) {
      assertThrows(MalformedNoteException.class, () -> Checkpoint.parse("log\n" + size + "\nYmFuYW5hcw==\n"), "size '" + size + "'");
    }
    assertEquals(0, Checkpoint.parse("log\n0\nYmFuYW5hcw==\n").treeSize(), "an empty tree is size 0");
    assertEquals(Long.MAX_VALUE, Checkpoint.parse("log\n9223372036854775807\nYmFuYW5hcw==\n").treeSize());
  }

  @Test
  void rejectsNonCanonicalBase64Root() {
    assertThrows(MalformedNoteException.class, () -> Checkpoint.parse("log\n1\nYmFuYW5hcw\n"), "missing padding");
    assertThrows(MalformedNoteException.class, () -> Checkpoint.parse("log\n1\nYmFuYW5hcx==\n"), "non-zero padding bits");
    assertThrows(MalformedNoteException.class, () -> Checkpoint.parse("log\n1\nYmFu YW5h\n"), "space inside");
    assertThrows(MalformedNoteException.class, () -> Checkpoint.parse("log\n1\n\n"), "empty root line");
  }

  @Test
  void rejectsEmptyExtensionLinesControlCharactersAndCarriageReturns() {
    assertThrows(MalformedNoteException.class, () -> Checkpoint.parse("log\n1\nYmFuYW5hcw==\next\n\n"));
    assertThrows(MalformedNoteException.class, () -> Checkpoint.parse("log\r\n1\nYmFuYW5hcw==\n"));
    assertThrows(MalformedNoteException.class, () -> Checkpoint.parse("lo\u0000g\n1\nYmFuYW5hcw==\n"));
    assertThrows(MalformedNoteException.class, () -> new Checkpoint("log", 1, new byte[32], List.of("")));
    assertThrows(MalformedNoteException.class, () -> new Checkpoint("log", 1, new byte[32], List.of("a\nb")));
    assertThrows(MalformedNoteException.class, () -> new Checkpoint("", 1, new byte[32], List.of()));
    assertThrows(MalformedNoteException.class, () -> new Checkpoint("log", -1, new byte[32], List.of()));
  }

  @Test
  void parseForRejectsAnotherOriginAndNon32ByteRoots() {
    String body = new Checkpoint("example.com/log", 5, new byte[32], List.of()).body();
    assertEquals(5, Checkpoint.parseFor("example.com/log", body).treeSize());
    MalformedNoteException e = assertThrows(MalformedNoteException.class, () -> Checkpoint.parseFor("example.com/other", body));
    assertTrue(e.getMessage().contains("expected 'example.com/other'"), e.getMessage());
    String shortRoot = "example.com/log\n5\n" + Base64.getEncoder().encodeToString(new byte[31]) + "\n";
    assertThrows(MalformedNoteException.class, () -> Checkpoint.parseFor("example.com/log", shortRoot));
  }

  @Test
  void extensionLinesRoundTrip() {
    Checkpoint c = new Checkpoint("example.com/log", 42, new byte[32], List.of("ext one", "ext two"));
    assertEquals(c, Checkpoint.parse(c.body()));
  }

  private static byte[] ascii(JsonNode n) {
    return n.asText().getBytes(StandardCharsets.US_ASCII);
  }
}

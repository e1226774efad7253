package dev.quartet.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain proof-line parser reads what export writes exactly as the JSON reader does, and declines everything else. */
class ProofLineTest {
  @Test
  void readsExportedLinesAsTheJsonReaderDoes() {
    Random random = new Random(5);
    BundleEventChecks.ProofLine p = new BundleEventChecks.ProofLine();
    for (int count : new int[] {0, 1, 2, 17, 63, 64, 65, 130}) {
      List<String> hashes = new ArrayList<>();
      for (int h = 0; h < count; h++) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        hashes.add(HexFormat.of().formatHex(b));
      }
      BundleDocuments.InclusionLine line = new BundleDocuments.InclusionLine(count * 1000, 3, 123_456_789_012L, 999_999_999_999L,
          hashes, BundleLayout.checkpoint(3, 999_999_999_999L));
      byte[] text = BundleDocuments.writeLine(line);
      byte[] padded = new byte[text.length + 6];
      System.arraycopy(text, 0, padded, 2, text.length);
      assertTrue(p.parse(padded, 2, 2 + text.length), new String(text, StandardCharsets.UTF_8));
      BundleDocuments.InclusionLine json = BundleDocuments.read(text, BundleDocuments.InclusionLine.class);
      assertEquals(json.event(), p.event);
      assertEquals(json.partition(), p.partition);
      assertEquals(json.leafIndex(), p.leafIndex);
      assertEquals(json.treeSize(), p.treeSize);
      assertEquals(json.checkpoint(), p.checkpoint);
      assertEquals(count, p.hashes);
      for (int h = 0; h < count; h++) {
        assertArrayEquals(HexFormat.of().parseHex(json.hashes().get(h)), java.util.Arrays.copyOfRange(p.path, 32 * h, 32 * h + 32));
      }
    }
  }

  @Test
  void declinesAnythingNotWrittenThePlainWay() {
    String hash = "ab".repeat(32);
    String plain = "{\"event\":1,\"partition\":0,\"leafIndex\":5,\"treeSize\":8,\"hashes\":[\"" + hash + "\"],\"checkpoint\":\"checkpoints/0-8.note\"}";
    BundleEventChecks.ProofLine p = new BundleEventChecks.ProofLine();
    assertTrue(parse(p, plain));
    for (String other : new String[] {
        plain.replace("\"event\":1", "\"event\": 1"),
        plain.replace("\"event\":1", "\"event\":01"),
        plain.replace("\"event\":1", "\"event\":-1"),
        plain.replace("\"leafIndex\":5", "\"leafIndex\":5.0"),
        plain.replace("\"treeSize\":8", "\"treeSize\":12345678901234567890"),
        plain.replace(hash, hash.toUpperCase()),
        plain.replace(hash, hash.substring(2)),
        plain.replace(hash, "zz" + hash.substring(2)),
        plain.replace("\"],", "\",],"),
        plain.replace("0-8.note", "0-8\\u002enote"),
        plain + " ",
        plain.substring(0, plain.length() - 1),
        plain.replace("{\"event\":1,\"partition\":0", "{\"partition\":0,\"event\":1"),
    }) {
      assertFalse(parse(p, other), other);
    }
  }

  private static boolean parse(BundleEventChecks.ProofLine p, String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return p.parse(b, 0, b.length);
  }
}

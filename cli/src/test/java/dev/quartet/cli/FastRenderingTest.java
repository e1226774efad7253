package dev.quartet.cli;

import dev.quartet.bench.EvidenceEvents;
import dev.quartet.schemas.Approval;
import dev.quartet.schemas.EventCodec;
import dev.quartet.schemas.EvidenceEvent;
import dev.quartet.schemas.Plane;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast rendering gives EventRendering's bytes exactly, or declines; it never renders something else. */
class FastRenderingTest {
  private static final EventCodec CODEC = EventCodec.standard();

  @Test
  void rendersTypicalEventsByteForByteAsEventRendering() {
    EvidenceEvents gen = EvidenceEvents.ofEncodedSize(1024);
    FastRendering fast = new FastRendering();
    for (int i = 0; i < 50; i++) {
      EvidenceEvent e = gen.next(i);
      assertSame(fast, e);
      assertEquals(e.getId(), fast.id());
      assertEquals(e.getConfigDigest(), fast.configDigest());
      assertEquals(e.getConfigVersion(), fast.configVersion());
    }
  }

  @Test
  void rendersNullsEmptyCollectionsEscapesAndManyEntries() {
    Map<String, String> attributes = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      attributes.put("k" + (i * 7919 % 97), "v\"quoted\\back/slash~\u007f" + i);
    }
    EvidenceEvent e = EvidenceEvent.newBuilder().setId("id-1").setType("t").setTenant("acme").setCorrelationId("c")
        .setExecutionId(null).setConfigVersion(null).setConfigDigest(null).setRoute("r").setPolicy(null)
        .setApprovals(List.of(Approval.newBuilder().setApprover("a").setApproved(false).setDecidedAt(Instant.ofEpochMilli(-1)).build(),
            Approval.newBuilder().setApprover("b").setApproved(true).setDecidedAt(Instant.ofEpochMilli(1_700_000_000_123L)).build()))
        .setArtifactDigests(Map.of()).setOutcome("o").setOccurredAt(Instant.ofEpochMilli(0)).setProducerPlane(Plane.DATA)
        .setProducerVersion("1").setAttributes(attributes).setCorrects("id-0").build();
    FastRendering fast = new FastRendering();
    assertSame(fast, e);
    assertEquals(null, fast.configDigest());
    assertEquals(null, fast.configVersion());
  }

  @Test
  void declinesNonAsciiControlCharactersTrailingBytesAndTruncation() {
    FastRendering fast = new FastRendering();
    EvidenceEvents gen = EvidenceEvents.ofEncodedSize(512);
    EvidenceEvent umlaut = gen.next(1);
    umlaut.setOutcome("geprüft");
    assertFalse(fast.render(CODEC.encode(umlaut), 0, CODEC.encode(umlaut).length), "non-ASCII");
    EvidenceEvent control = gen.next(2);
    control.setOutcome("line\nbreak");
    byte[] c = CODEC.encode(control);
    assertFalse(fast.render(c, 0, c.length), "control character");
    byte[] ok = CODEC.encode(gen.next(3));
    byte[] trailing = java.util.Arrays.copyOf(ok, ok.length + 1);
    assertFalse(fast.render(trailing, 0, trailing.length), "trailing byte");
    assertFalse(fast.render(ok, 0, ok.length - 1), "cut short");
    byte[] header = ok.clone();
    header[3] ^= 1;
    assertFalse(fast.render(header, 0, header.length), "another writer schema");
    assertTrue(fast.render(ok, 0, ok.length));
  }

  @Test
  void rendersTimestampsAsInstantDoesAcrossSecondsYearsAndSigns() {
    java.util.Random random = new java.util.Random(7);
    FastRendering fast = new FastRendering();
    EvidenceEvents gen = EvidenceEvents.ofEncodedSize(400);
    long[] fixed = {0, 1, -1, 999, 1000, -1000, -1001, 60_000, 1_700_000_000_000L, 1_700_000_000_010L, 1_700_000_000_100L,
        253_402_300_799_999L, 253_402_300_800_000L, -62_167_219_200_001L, Long.MAX_VALUE, Long.MIN_VALUE};
    for (int i = 0; i < 400; i++) {
      long millis = i < fixed.length ? fixed[i] : i % 3 == 0 ? random.nextLong()
          : 1_700_000_000_000L + random.nextInt(5) * 1000L + random.nextInt(3) * random.nextInt(1000);
      EvidenceEvent e = gen.next(i);
      e.setOccurredAt(Instant.ofEpochMilli(millis));
      e.setConfigVersion(i % 2 == 0 ? random.nextLong() : (long) random.nextInt(100));
      assertSame(fast, e);
    }
  }

  @Test
  void escapesQuotesAndBackslashesAnywhereInLongStringsAndDeclinesControlBytesThere() {
    java.util.Random random = new java.util.Random(11);
    FastRendering fast = new FastRendering();
    EvidenceEvents gen = EvidenceEvents.ofEncodedSize(400);
    String alphabet = "abcxyz019 ~/{}[]:,\"\\\u007f";
    for (int i = 0; i < 300; i++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(80);
      for (int k = 0; k < length; k++) {
        b.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : 'p');
      }
      EvidenceEvent e = gen.next(i);
      e.setOutcome(b.toString());
      e.setAttributes(Map.of("k" + b, b.toString()));
      assertSame(fast, e);
      if (length > 0) {
        int at = random.nextInt(length);
        EvidenceEvent bad = gen.next(i);
        bad.setOutcome(b.substring(0, at) + (char) random.nextInt(0x20) + b.substring(at));
        byte[] record = CODEC.encode(bad);
        assertFalse(fast.render(record, 0, record.length), "control character at " + at + " of " + length);
      }
    }
  }

  @Test
  void plainWordsAreExactlyThoseWithoutBytesToEscapeOrDecline() {
    java.util.Random random = new java.util.Random(3);
    byte[] eight = new byte[8];
    for (int i = 0; i < 200_000; i++) {
      for (int k = 0; k < 8; k++) {
        eight[k] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : 0x20 + random.nextInt(0x60));
      }
      boolean expected = true;
      for (byte x : eight) {
        expected &= x >= 0x20 && x != '"' && x != '\\';
      }
      long word = java.nio.ByteBuffer.wrap(eight).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(expected, FastRendering.plain(word), java.util.HexFormat.of().formatHex(eight));
    }
  }

  private static void assertSame(FastRendering fast, EvidenceEvent e) {
    byte[] record = CODEC.encode(e);
    byte[] padded = new byte[record.length + 7];
    System.arraycopy(record, 0, padded, 3, record.length);
    assertTrue(fast.render(padded, 3, 3 + record.length), "fast path taken");
    byte[] expected = EventRendering.of(e);
    assertEquals(new String(expected, StandardCharsets.UTF_8),
        new String(fast.rendering().bytes, 0, fast.rendering().length, StandardCharsets.UTF_8));
    assertTrue(fast.renderingEquals(expected, 0, expected.length));
  }
}

package dev.quartet.contracts.evidence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncryptedEvidenceBufferTest {
  private static final long MIB = 1024 * 1024;

  @TempDir
  Path dir;

  @Test
  void readsBackEveryEventInAppendOrderAcrossSegments() throws Exception {
    Random random = new Random(7);
    List<BufferedEvidence> written = new ArrayList<>();
    List<BufferedEvidence> read = new ArrayList<>();
    try (var buffer = EncryptedEvidenceBuffer.open(dir, MIB, 1000)) {
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 1 + random.nextInt(20); i++) {
          BufferedEvidence e = event(written.size(), random);
          assertTrue(buffer.append(e), "append " + written.size());
          written.add(e);
        }
        if (round % 2 == 1) {
          read.addAll(buffer.sealAndRead());
          buffer.deleteSealed();
        }
      }
      read.addAll(buffer.sealAndRead());
      buffer.deleteSealed();
      assertEquals(0, buffer.events(), "events left after deleting what was read");
      assertEquals(0, buffer.bytes(), "bytes left after deleting what was read");
    }
    assertEquals(written, read, "every event back, in order, byte for byte");
    assertEquals(0, segmentFiles().size(), "no segment left");
  }

  @Test
  void neverWritesPlaintextToDisk() throws Exception {
    byte[] secret = "correlation-7f3a-plaintext-marker".getBytes(StandardCharsets.UTF_8);
    try (var buffer = EncryptedEvidenceBuffer.open(dir, MIB, 100)) {
      for (int i = 0; i < 10; i++) {
        assertTrue(buffer.append(new BufferedEvidence(i, 1000 + i, secret, secret)));
      }
    }
    List<Path> files = segmentFiles();
    assertFalse(files.isEmpty(), "segments on disk");
    for (Path f : files) {
      byte[] content = Files.readAllBytes(f);
      assertEquals(-1, indexOf(content, Arrays.copyOf(secret, 12)), "plaintext fragment found in " + f.getFileName());
    }
  }

  @Test
  void refusesAnyFlippedBit() throws Exception {
    Random random = new Random(42);
    for (int trial = 0; trial < 40; trial++) {
      Path trialDir = dir.resolve("t" + trial);
      try (var buffer = EncryptedEvidenceBuffer.open(trialDir, MIB, 100)) {
        for (int i = 0; i < 3; i++) {
          buffer.append(event(i, random));
        }
        buffer.close();
        Path segment = onlySegment(trialDir);
        byte[] content = Files.readAllBytes(segment);
        int at = random.nextInt(content.length);
        content[at] ^= (byte) (1 << random.nextInt(8));
        Files.write(segment, content);
        int flipped = at;
        assertThrows(EvidenceBufferCorruptedException.class, buffer::sealAndRead, "flipped byte " + flipped + " accepted");
      }
    }
  }

  @Test
  void refusesRemovedReorderedOrTruncatedFrames() throws Exception {
    Random random = new Random(3);
    try (var buffer = EncryptedEvidenceBuffer.open(dir, MIB, 100)) {
      for (int i = 0; i < 3; i++) {
        buffer.append(new BufferedEvidence(i, 100 + i, null, new byte[] {(byte) i, 1, 2, 3}));
      }
      buffer.close();
      Path segment = onlySegment(dir);
      byte[] content = Files.readAllBytes(segment);
      int frame = content.length / 3;  // equal-size frames
      byte[] swapped = new byte[content.length];
      System.arraycopy(content, frame, swapped, 0, frame);
      System.arraycopy(content, 0, swapped, frame, frame);
      System.arraycopy(content, 2 * frame, swapped, 2 * frame, frame);
      Files.write(segment, swapped);
      assertThrows(EvidenceBufferCorruptedException.class, buffer::sealAndRead, "reordered frames accepted");
      Files.write(segment, Arrays.copyOf(content, 2 * frame));
      assertThrows(EvidenceBufferCorruptedException.class, buffer::sealAndRead, "dropped last frame accepted");
      Files.write(segment, Arrays.copyOfRange(content, frame, content.length));
      assertThrows(EvidenceBufferCorruptedException.class, buffer::sealAndRead, "dropped first frame accepted");
      Files.write(segment, content);
      assertEquals(3, buffer.sealAndRead().size(), "the untouched segment still reads");
    }
  }

  @Test
  void refusesAppendsBeyondItsBounds() throws Exception {
    Random random = new Random(11);
    try (var byCount = EncryptedEvidenceBuffer.open(dir.resolve("count"), MIB, 4)) {
      for (int i = 0; i < 4; i++) {
        assertTrue(byCount.append(event(i, random)), "event " + i + " within the bound of 4");
      }
      assertFalse(byCount.append(event(4, random)), "fifth event over the bound of 4");
      assertEquals(4, byCount.events());
    }
    try (var byBytes = EncryptedEvidenceBuffer.open(dir.resolve("bytes"), 200, 1000)) {
      BufferedEvidence e = new BufferedEvidence(0, 1, null, new byte[100]);
      assertTrue(byBytes.append(e), "first 100-byte event within 200 bytes");
      assertFalse(byBytes.append(e), "second one over 200 bytes");
      assertTrue(byBytes.bytes() <= 200, "bytes held " + byBytes.bytes());
    }
  }

  @Test
  void countsAndDeletesWhatAPreviousRunLeftBehind() throws Exception {
    try (var first = EncryptedEvidenceBuffer.open(dir, MIB, 100)) {
      first.append(new BufferedEvidence(1, 5_000, null, new byte[] {1}));
      first.append(new BufferedEvidence(2, 3_000, null, new byte[] {2}));
      first.append(new BufferedEvidence(3, 9_000, null, new byte[] {3}));
    }
    try (var second = EncryptedEvidenceBuffer.open(dir, MIB, 100)) {
      assertEquals(new LeftoverBuffer(3, 3_000, 9_000), second.leftover(), "leftover count and range");
      assertEquals(0, second.events(), "nothing readable carried over");
      assertEquals(0, segmentFiles().size(), "old segments deleted");
    }
  }

  private static BufferedEvidence event(long seq, Random random) {
    byte[] key = random.nextBoolean() ? null : new byte[random.nextInt(40)];
    if (key != null) {
      random.nextBytes(key);
    }
    byte[] value = new byte[1 + random.nextInt(2000)];
    random.nextBytes(value);
    return new BufferedEvidence(seq, 1_700_000_000_000L + random.nextInt(1_000_000), key, value);
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(EncryptedEvidenceBuffer.SEGMENT_SUFFIX)).toList();
    }
  }

  private static Path onlySegment(Path d) throws IOException {
    try (Stream<Path> files = Files.list(d)) {
      List<Path> all = files.toList();
      assertEquals(1, all.size(), "one segment in " + d + ": " + all);
      return all.get(0);
    }
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

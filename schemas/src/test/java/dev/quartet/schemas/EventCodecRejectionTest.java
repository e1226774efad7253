package dev.quartet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quartet.schemas.UndecodableEventException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecRejectionTest {

  private final EventCodec codec = EventCodec.standard();

  static Stream<SpecificRecord> samples() {
    return SampleEvents.all().stream();
  }

  private UndecodableEventException rejection(byte[] bytes, Reason expected) {
    var e = assertThrows(UndecodableEventException.class, () -> codec.decode(bytes));
    assertEquals(expected, e.reason(), () -> "reason for " + e.getMessage());
    return e;
  }

  @Test
  void nullIsNotSingleObjectEncoded() {
    rejection(null, Reason.NOT_SINGLE_OBJECT_ENCODED);
  }

  @Test
  void emptyBytesAreNotSingleObjectEncoded() {
    rejection(new byte[0], Reason.NOT_SINGLE_OBJECT_ENCODED);
  }

  @Test
  void bytesShorterThanTheHeaderAreNotSingleObjectEncoded() {
    rejection(new byte[] {(byte) 0xC3, 0x01, 0x12}, Reason.NOT_SINGLE_OBJECT_ENCODED);
  }

  @Test
  void wrongMagicIsNotSingleObjectEncodedAndNamesTheBytesSeen() {
    byte[] bytes = codec.encode(SampleEvents.applied());
    bytes[0] = 0x7B;
    var e = rejection(bytes, Reason.NOT_SINGLE_OBJECT_ENCODED);
    assertTrue(e.getMessage().contains("7B 01"), e.getMessage());
  }

  @Test
  void jsonTextIsNotSingleObjectEncoded() {
    rejection("{\"workerId\":\"w-1\",\"scope\":\"acme\"}".getBytes(StandardCharsets.UTF_8),
        Reason.NOT_SINGLE_OBJECT_ENCODED);
  }

  @Test
  void unknownFingerprintIsNamedInHex() {
    byte[] bytes = WireBytes.headerWithFingerprint(0x1a2b3c4d5e6f7081L).string("w-1").bytes();
    var e = rejection(bytes, Reason.UNKNOWN_FINGERPRINT);
    assertTrue(e.getMessage().contains("0x1a2b3c4d5e6f7081"), e.getMessage());
    assertTrue(e.getMessage().contains("not a released Quartet schema"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("samples")
  void everyTruncationOfTheBodyIsCorrupt(SpecificRecord event) {
    byte[] full = codec.encode(event);
    for (int length = 10; length < full.length; length++) {
      rejection(Arrays.copyOf(full, length), Reason.CORRUPT);
    }
  }

  @Test
  void trailingBytesAreCorrupt() {
    byte[] full = codec.encode(SampleEvents.applied());
    var e = rejection(Arrays.copyOf(full, full.length + 3), Reason.CORRUPT);
    assertTrue(e.getMessage().contains("3 trailing bytes"), e.getMessage());
  }

  @Test
  void aHugeStringLengthIsCorruptWithoutAllocatingIt() {
    // Without the bounds scan Avro would try to allocate ~1 GiB here.
    byte[] bytes = WireBytes.headerOf(WorkerRegistered.getClassSchema()).varint(1L << 30).raw('w').bytes();
    var e = rejection(bytes, Reason.CORRUPT);
    assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
  }

  @Test
  void aHugeMapCountIsCorruptWithoutAllocatingIt() {
    byte[] bytes = WireBytes.headerOf(WorkerRegistered.getClassSchema()).string("w-1").string("a/b/c")
        .varint(Integer.MAX_VALUE).string("k").string("v").bytes();
    var e = rejection(bytes, Reason.CORRUPT);
    assertTrue(e.getMessage().contains("items exceeds"), e.getMessage());
  }

  @Test
  void aHugeArrayCountIsCorruptWithoutAllocatingIt() {
    // id, type, tenant, correlationId, five null optionals, then the approvals array count.
    byte[] bytes = WireBytes.headerOf(EvidenceEvent.getClassSchema()).string("e-1").string("t").string("acme")
        .string("c-1").varint(0).varint(0).varint(0).varint(0).varint(0).varint(Long.MAX_VALUE / 2).bytes();
    var e = rejection(bytes, Reason.CORRUPT);
    assertTrue(e.getMessage().contains("items exceeds"), e.getMessage());
  }

  @Test
  void aNegativeArrayBlockSizeIsCorrupt() {
    // A negative count announces a block byte size; that size must fit in the bytes left too.
    byte[] bytes = WireBytes.headerOf(EvidenceEvent.getClassSchema()).string("e-1").string("t").string("acme")
        .string("c-1").varint(0).varint(0).varint(0).varint(0).varint(0).varint(-1).varint(1L << 40).bytes();
    rejection(bytes, Reason.CORRUPT);
  }

  @Test
  void anEnumIndexOutsideTheSymbolsIsCorrupt() {
    byte[] bytes = WireBytes.headerOf(WorkerHeartbeat.getClassSchema()).string("w-1").varint(99).bytes();
    var e = rejection(bytes, Reason.CORRUPT);
    assertTrue(e.getMessage().contains("enum WorkerState index 99"), e.getMessage());
  }

  @Test
  void aUnionIndexOutsideTheBranchesIsCorrupt() {
    byte[] bytes = WireBytes.headerOf(TaskStateChanged.getClassSchema()).string("t-1").varint(2).bytes();
    var e = rejection(bytes, Reason.CORRUPT);
    assertTrue(e.getMessage().contains("union index 2"), e.getMessage());
  }

  @Test
  void aBooleanByteOtherThanZeroOrOneIsCorrupt() {
    byte[] bytes = WireBytes.headerOf(WorkerHeartbeat.getClassSchema()).string("w-1").varint(0).varint(1)
        .raw(7).bytes();
    rejection(bytes, Reason.CORRUPT);
  }

  @Test
  void anOverlongVarintIsCorrupt() {
    byte[] bytes = WireBytes.headerOf(ConfigApplied.getClassSchema()).string("w-1").string("acme/prod")
        .raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01).bytes();
    rejection(bytes, Reason.CORRUPT);
  }
}

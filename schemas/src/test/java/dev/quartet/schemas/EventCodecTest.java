package dev.quartet.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quartet.schemas.UndecodableEventException.Reason;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

  private final EventCodec codec = EventCodec.standard();

  static Stream<SpecificRecord> samples() {
    return SampleEvents.all().stream();
  }

  @Test
  void samplesCoverEveryEventType() {
    Set<Class<?>> sampled = SampleEvents.all().stream().map(Object::getClass).collect(Collectors.toSet());
    assertEquals(Set.copyOf(EventTypes.all()), sampled, "one sample per event type");
  }

  @ParameterizedTest
  @MethodSource("samples")
  void everyEventTypeRoundTrips(SpecificRecord event) throws Exception {
    assertEquals(event, codec.decode(codec.encode(event)));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void typedDecodeReturnsTheEventAsItsClass(SpecificRecord event) throws Exception {
    SpecificRecord decoded = codec.decode(codec.encode(event), event.getClass());
    assertEquals(event, decoded);
  }

  @ParameterizedTest
  @MethodSource("samples")
  void encodingStartsWithTheSingleObjectHeaderAndTheSchemaFingerprint(SpecificRecord event) {
    byte[] bytes = codec.encode(event);
    assertEquals((byte) 0xC3, bytes[0]);
    assertEquals((byte) 0x01, bytes[1]);
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(SchemaNormalization.parsingFingerprint64(event.getSchema()), fingerprint);
  }

  @ParameterizedTest
  @MethodSource("samples")
  void encodingIsByteForByteAvrosOwnSingleObjectEncoding(SpecificRecord event) throws Exception {
    ByteBuffer avro = SampleEvents.avroEncoding(event);
    byte[] expected = new byte[avro.remaining()];
    avro.get(expected);
    assertArrayEquals(expected, codec.encode(event));
  }

  @Test
  void absentOptionalFieldsRoundTripAsNull() throws Exception {
    var light = WorkerHeartbeat.newBuilder(SampleEvents.heartbeat()).setFull(false).setCapacity(null)
        .setAppliedConfigVersion(null).setAppliedConfigDigest(null).build();
    var firstTransition = TaskStateChanged.newBuilder(SampleEvents.stateChanged()).setFrom(null)
        .setTo(TaskState.PENDING).setWorkerId(null).setOutputRef(null).build();

    assertEquals(light, codec.decode(codec.encode(light)));
    TaskStateChanged decoded = codec.decode(codec.encode(firstTransition), TaskStateChanged.class);
    assertNull(decoded.getFrom());
    assertNull(decoded.getWorkerId());
  }

  @Test
  void typedDecodeOfAnotherEventTypeFailsAsUnexpectedType() {
    byte[] heartbeat = codec.encode(SampleEvents.heartbeat());

    var e = assertThrows(UndecodableEventException.class, () -> codec.decode(heartbeat, ConfigApplied.class));
    assertEquals(Reason.UNEXPECTED_TYPE, e.reason());
    assertTrue(e.getMessage().contains("ConfigApplied") && e.getMessage().contains("WorkerHeartbeat"),
        e.getMessage());
  }

  @Test
  void refusesToEncodeARecordThatIsNotAnEvent() {
    var e = assertThrows(IllegalArgumentException.class, () -> codec.encode(SampleEvents.ref()));
    assertTrue(e.getMessage().contains("PayloadRef"), e.getMessage());
  }

  @Test
  void refusesToEncodeAnEventWithANullRequiredField() {
    var incomplete = new ConfigApplied();
    var e = assertThrows(IllegalArgumentException.class, () -> codec.encode(incomplete));
    assertTrue(e.getMessage().contains("ConfigApplied"), e.getMessage());
  }
}

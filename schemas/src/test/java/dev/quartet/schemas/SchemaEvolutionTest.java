package dev.quartet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quartet.schemas.UndecodableEventException.Reason;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/**
 * Decoding across versions. The fixture plays an older release of WorkerHeartbeat: it lacks the
 * optional capacity and applied-config fields and has an optional {@code zone} field since dropped.
 */
class SchemaEvolutionTest {

  private static final Schema OLDER = Fixtures.schema("WorkerHeartbeat-older-release.avsc");

  /** The released catalog, with the fixture inserted as WorkerHeartbeat v1 before today's v1. */
  private static SchemaCatalog catalogWithOlderRelease() {
    SchemaCatalog released = SchemaCatalog.released();
    var versions = new TreeMap<String, List<Schema>>();
    for (String name : released.recordNames()) {
      versions.put(name, released.versions(name));
    }
    var heartbeats = new java.util.ArrayList<Schema>();
    heartbeats.add(OLDER);
    heartbeats.addAll(released.versions("WorkerHeartbeat"));
    versions.put("WorkerHeartbeat", heartbeats);
    return SchemaCatalog.of(versions);
  }

  private static byte[] olderHeartbeatBytes() throws Exception {
    GenericRecord old = new GenericData.Record(OLDER);
    old.put("workerId", "w-1");
    old.put("state", new GenericData.EnumSymbol(OLDER.getField("state").schema(), "DRAINING"));
    old.put("taskCount", 2);
    old.put("zone", "eu-1");
    old.put("full", false);
    old.put("sentAt", SampleEvents.T0.toEpochMilli());
    ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), OLDER).encode(old);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  @Test
  void currentSchemaIsAFullyCompatibleEvolutionOfTheOlderFixture() {
    assertEquals(List.of(), SchemaCatalog.checkCompatibility(WorkerHeartbeat.getClassSchema(), List.of(OLDER)));
  }

  @Test
  void bytesWrittenWithAnOlderReleaseDecodeIntoTheCurrentClass() throws Exception {
    EventCodec codec = EventCodec.of(catalogWithOlderRelease(), EventTypes.all());

    WorkerHeartbeat decoded = codec.decode(olderHeartbeatBytes(), WorkerHeartbeat.class);

    assertEquals("w-1", decoded.getWorkerId());
    assertEquals(WorkerState.DRAINING, decoded.getState());
    assertEquals(2, decoded.getTaskCount());
    assertEquals(SampleEvents.T0, decoded.getSentAt());
    assertNull(decoded.getCapacity(), "fields the older release lacks take their default");
    assertNull(decoded.getAppliedConfigVersion());
  }

  @Test
  void untypedDecodeAlsoResolvesOlderBytesIntoTheCurrentClass() throws Exception {
    EventCodec codec = EventCodec.of(catalogWithOlderRelease(), EventTypes.all());

    assertEquals(WorkerHeartbeat.class, codec.decode(olderHeartbeatBytes()).getClass());
  }

  @Test
  void aCodecThatWasNeverToldAboutTheOlderReleaseRefusesItsBytes() throws Exception {
    byte[] bytes = olderHeartbeatBytes();
    var e = assertThrows(UndecodableEventException.class, () -> EventCodec.standard().decode(bytes));
    assertEquals(Reason.UNKNOWN_FINGERPRINT, e.reason());
  }

  @Test
  void readersOfTheOlderReleaseCanReadCurrentData() throws Exception {
    var store = new SchemaStore.Cache();
    store.addSchema(WorkerHeartbeat.getClassSchema());
    var olderReader = new BinaryMessageDecoder<GenericRecord>(GenericData.get(), OLDER, store);

    GenericRecord read = olderReader.decode(EventCodec.standard().encode(SampleEvents.heartbeat()));

    assertEquals("w-1", read.get("workerId").toString());
    assertEquals("BUSY", read.get("state").toString());
    assertNull(read.get("zone"), "a field the current schema dropped takes its default");
  }
}

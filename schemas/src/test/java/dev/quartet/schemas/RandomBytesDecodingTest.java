package dev.quartet.schemas;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever bytes arrive, decoding returns an event or throws UndecodableEventException,
 * never anything else. Each try draws from its own seed, so a failure message is a reproducer.
 */
class RandomBytesDecodingTest {

  private static final int TRIES = 500;
  private static final long SEED = 0x5EED_2026L;
  private static final int MAX_LENGTH = 512;

  private final EventCodec codec = EventCodec.standard();

  @Test
  void randomBytesOnlyEverFailAsUndecodable() {
    for (int i = 0; i < TRIES; i++) {
      var random = new SplittableRandom(SEED + i);
      byte[] bytes = new byte[random.nextInt(MAX_LENGTH)];
      random.nextBytes(bytes);
      decodesOrIsUndecodable(bytes, i);
    }
  }

  @Test
  void randomBodiesBehindEveryKnownHeaderOnlyEverFailAsUndecodable() {
    List<Schema> known = knownWriterSchemas();
    for (int i = 0; i < TRIES; i++) {
      var random = new SplittableRandom(SEED + i);
      byte[] header = WireBytes.headerOf(known.get(i % known.size())).bytes();
      byte[] bytes = new byte[header.length + random.nextInt(MAX_LENGTH)];
      random.nextBytes(bytes);
      System.arraycopy(header, 0, bytes, 0, header.length);
      decodesOrIsUndecodable(bytes, i);
    }
  }

  @Test
  void randomlyDamagedEncodingsOnlyEverFailAsUndecodable() {
    List<SpecificRecord> samples = SampleEvents.all();
    for (int i = 0; i < TRIES; i++) {
      var random = new SplittableRandom(SEED + i);
      byte[] bytes = codec.encode(samples.get(i % samples.size()));
      for (int damage = 1 + random.nextInt(3); damage > 0; damage--) {
        // Damage the body, not the header: header damage is covered above and stops at once.
        bytes[10 + random.nextInt(bytes.length - 10)] = (byte) random.nextInt(256);
      }
      decodesOrIsUndecodable(bytes, i);
    }
  }

  private void decodesOrIsUndecodable(byte[] bytes, int attempt) {
    try {
      assertNotNull(codec.decode(bytes));
    } catch (UndecodableEventException expected) {
      assertNotNull(expected.reason());
    } catch (RuntimeException e) {
      fail("try " + attempt + " (seed " + (SEED + attempt) + "): expected an event or UndecodableEventException, got "
          + e + " for bytes " + HexFormat.of().formatHex(bytes), e);
    }
  }

  private static List<Schema> knownWriterSchemas() {
    var schemas = new ArrayList<Schema>();
    SchemaCatalog catalog = SchemaCatalog.released();
    for (Class<? extends SpecificRecord> type : EventTypes.all()) {
      Schema current = org.apache.avro.specific.SpecificData.get().getSchema(type);
      schemas.add(current);
      for (Schema released : catalog.versions(current.getName())) {
        if (SchemaNormalization.parsingFingerprint64(released) != SchemaNormalization.parsingFingerprint64(current)) {
          schemas.add(released);
        }
      }
    }
    return schemas;
  }
}

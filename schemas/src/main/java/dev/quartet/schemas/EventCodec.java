package dev.quartet.schemas;

import dev.quartet.schemas.UndecodableEventException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes Quartet events as Avro single-object encoding ({@code C3 01}, the 8-byte little-endian
 * CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body) and decodes them back,
 * resolving data written with any released schema version into the current generated class.
 * Fingerprints are resolved locally from the released schemas: no schema registry is involved.
 *
 * <p>Decoding treats its input as untrusted: any malformed input, however large or strange, ends
 * in an {@link UndecodableEventException}, and no allocation is driven by an unchecked length.
 * Instances are immutable and thread-safe.
 */
public final class EventCodec {

  private static final byte MAGIC_0 = (byte) 0xC3;
  private static final byte MAGIC_1 = (byte) 0x01;
  private static final int HEADER_LENGTH = 10;

  /** What a fingerprint stands for: its writer schema, and how to read it into the current class. */
  private record Writer(Schema schema, Class<? extends SpecificRecord> type,
      BinaryMessageDecoder<SpecificRecord> decoder) {}

  private final Map<Class<?>, BinaryMessageEncoder<SpecificRecord>> encoders;
  private final Map<Long, Writer> writers;

  private EventCodec(Map<Class<?>, BinaryMessageEncoder<SpecificRecord>> encoders,
      Map<Long, Writer> writers) {
    this.encoders = Map.copyOf(encoders);
    this.writers = Map.copyOf(writers);
  }

  /** The codec for every {@link EventTypes event type} and every released schema version. */
  public static EventCodec standard() {
    return Standard.INSTANCE;
  }

  /**
   * A codec for {@code types} (generated classes), accepting data written with their current
   * schema or any version {@code catalog} lists for them.
   *
   * @throws IllegalArgumentException if two different types share a schema fingerprint
   */
  public static EventCodec of(SchemaCatalog catalog,
      Collection<? extends Class<? extends SpecificRecord>> types) {
    var store = new SchemaStore.Cache();
    var encoders = new HashMap<Class<?>, BinaryMessageEncoder<SpecificRecord>>();
    var writers = new HashMap<Long, Writer>();
    for (Class<? extends SpecificRecord> type : types) {
      SpecificData model = SpecificData.getForClass(type);
      Schema current = model.getSchema(type);
      encoders.put(type, new BinaryMessageEncoder<>(model, current));
      var decoder = new BinaryMessageDecoder<SpecificRecord>(model, current, store);
      var schemas = new ArrayList<>(catalog.versions(current.getName()));
      schemas.add(current);
      for (Schema s : schemas) {
        store.addSchema(s);
        long fingerprint = SchemaNormalization.parsingFingerprint64(s);
        Writer previous = writers.put(fingerprint, new Writer(s, type, decoder));
        if (previous != null && previous.type() != type) {
          throw new IllegalArgumentException("schema fingerprint " + hex(fingerprint) + " is shared by "
              + previous.type().getSimpleName() + " and " + type.getSimpleName());
        }
      }
    }
    return new EventCodec(encoders, writers);
  }

  /**
   * Single-object encodes {@code event} with its current schema.
   *
   * @throws IllegalArgumentException if the event is not of a type this codec knows, or violates
   *     its schema (e.g. null in a non-null field)
   */
  public byte[] encode(SpecificRecord event) {
    BinaryMessageEncoder<SpecificRecord> encoder = encoders.get(event.getClass());
    if (encoder == null) {
      throw new IllegalArgumentException(event.getClass().getName() + " is not a Quartet event type");
    }
    var out = new ByteArrayOutputStream(256);
    try {
      encoder.encode(event, out);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding " + event.getSchema().getName() + " in memory", e);
    } catch (AvroRuntimeException | NullPointerException | ClassCastException e) {
      // Avro signals schema violations (a null required field, a wrong type) with these.
      throw new IllegalArgumentException(event.getSchema().getName() + " violates its schema: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a single-object encoded event into its current generated class.
   *
   * @throws UndecodableEventException if {@code bytes} is null, not single-object encoded, names an
   *     unknown schema, or is corrupt
   */
  public SpecificRecord decode(byte[] bytes) throws UndecodableEventException {
    return decodeBody(writerOf(bytes), bytes);
  }

  /**
   * Decodes a single-object encoded event that must be of {@code type}.
   *
   * @throws UndecodableEventException as {@link #decode(byte[])}, or with reason UNEXPECTED_TYPE if
   *     the bytes hold another event type
   */
  public <T extends SpecificRecord> T decode(byte[] bytes, Class<T> type) throws UndecodableEventException {
    Writer writer = writerOf(bytes);
    if (writer.type() != type) {
      throw new UndecodableEventException(Reason.UNEXPECTED_TYPE, "expected " + type.getSimpleName()
          + " but the bytes hold " + writer.type().getSimpleName());
    }
    return type.cast(decodeBody(writer, bytes));
  }

  private Writer writerOf(byte[] bytes) throws UndecodableEventException {
    if (bytes == null) {
      throw new UndecodableEventException(Reason.NOT_SINGLE_OBJECT_ENCODED, "no bytes (null)");
    }
    if (bytes.length < HEADER_LENGTH) {
      throw new UndecodableEventException(Reason.NOT_SINGLE_OBJECT_ENCODED, "not Avro single-object encoded: "
          + bytes.length + " bytes, the header alone takes " + HEADER_LENGTH);
    }
    if (bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
      throw new UndecodableEventException(Reason.NOT_SINGLE_OBJECT_ENCODED, String.format(
          "not Avro single-object encoded: starts with %02X %02X, expected C3 01", bytes[0], bytes[1]));
    }
    long fingerprint = 0;
    for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (bytes[i] & 0xFFL); // little-endian per the Avro spec
    }
    Writer writer = writers.get(fingerprint);
    if (writer == null) {
      throw new UndecodableEventException(Reason.UNKNOWN_FINGERPRINT,
          "unknown schema fingerprint " + hex(fingerprint) + " (not a released Quartet schema)");
    }
    return writer;
  }

  private static SpecificRecord decodeBody(Writer writer, byte[] bytes) throws UndecodableEventException {
    BodyScanner.scan(writer.schema(), bytes, HEADER_LENGTH);
    try {
      return writer.decoder().decode(bytes);
    } catch (IOException | RuntimeException e) {
      // The scan bounds every length, so what remains is resolution failing on a bad value.
      throw new UndecodableEventException(Reason.CORRUPT, "corrupt " + writer.schema().getName() + " ("
          + hex(SchemaNormalization.parsingFingerprint64(writer.schema())) + "): " + e.getMessage(), e);
    }
  }

  private static String hex(long fingerprint) {
    return String.format("0x%016x", fingerprint);
  }

  /** Built on first use: loading the catalog reads the classpath. */
  private static final class Standard {
    static final EventCodec INSTANCE = of(SchemaCatalog.released(), EventTypes.all());
  }
}

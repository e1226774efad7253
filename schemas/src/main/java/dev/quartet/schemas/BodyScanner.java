package dev.quartet.schemas;

import dev.quartet.schemas.UndecodableEventException.Reason;
import org.apache.avro.Schema;

/**
 * Walks an Avro binary body against its writer schema without allocating anything, and refuses it
 * unless every length, count, index and varint is within what the bytes can actually hold.
 *
 * <p>Avro's decoders allocate a string, byte array or collection as soon as they read its length
 * prefix, so a corrupt prefix could ask for gigabytes before the read fails. Running this scan
 * first means Avro only ever sees bodies whose lengths are bounded by the input size.
 */
final class BodyScanner {

  /** Deeper than any Quartet schema nests; only reachable through recursive schemas. */
  static final int MAX_DEPTH = 64;

  private static final Schema STRING = Schema.create(Schema.Type.STRING);

  private final byte[] bytes;
  private final String recordName;
  private int pos;

  private BodyScanner(byte[] bytes, int offset, String recordName) {
    this.bytes = bytes;
    this.pos = offset;
    this.recordName = recordName;
  }

  /**
   * Checks that {@code bytes[offset..]} is exactly one value of {@code writer}, with no trailing
   * bytes.
   *
   * @throws UndecodableEventException with reason CORRUPT naming the first problem and its offset
   */
  static void scan(Schema writer, byte[] bytes, int offset) throws UndecodableEventException {
    var scanner = new BodyScanner(bytes, offset, writer.getName());
    scanner.value(writer, 0);
    if (scanner.pos != bytes.length) {
      throw scanner.corrupt((bytes.length - scanner.pos) + " trailing bytes after the record");
    }
  }

  private void value(Schema s, int depth) throws UndecodableEventException {
    if (depth > MAX_DEPTH) {
      throw corrupt("nesting deeper than " + MAX_DEPTH);
    }
    switch (s.getType()) {
      case NULL -> { }
      case BOOLEAN -> {
        int b = next();
        if (b > 1) {
          throw corrupt("boolean byte " + b + " is neither 0 nor 1");
        }
      }
      case INT -> varint(5);
      case LONG -> varint(10);
      case FLOAT -> skip(4);
      case DOUBLE -> skip(8);
      case STRING, BYTES -> skip(length("length"));
      case FIXED -> skip(s.getFixedSize());
      case ENUM -> index(s.getEnumSymbols().size(), "enum " + s.getName());
      case UNION -> value(s.getTypes().get(index(s.getTypes().size(), "union")), depth + 1);
      case RECORD -> {
        for (Schema.Field f : s.getFields()) {
          value(f.schema(), depth + 1);
        }
      }
      case ARRAY -> blocks(null, s.getElementType(), depth + 1);
      case MAP -> blocks(STRING, s.getValueType(), depth + 1);
      default -> throw corrupt("unsupported schema type " + s.getType());
    }
  }

  /** Array and map blocks: a count, negative when followed by the block's byte size. */
  private void blocks(Schema key, Schema item, int depth) throws UndecodableEventException {
    while (true) {
      long count = zigzag(varint(10));
      if (count == 0) {
        return;
      }
      if (count < 0) {
        if (count == Long.MIN_VALUE) {
          throw corrupt("block count out of range");
        }
        count = -count;
        length("block size");
      }
      // Every item of every Quartet array or map takes at least one byte, so a count larger than
      // the bytes left is corrupt; this also bounds the loop below.
      if (count > remaining()) {
        throw corrupt("block of " + count + " items exceeds the " + remaining() + " bytes left");
      }
      for (long i = 0; i < count; i++) {
        if (key != null) {
          value(key, depth);
        }
        value(item, depth);
      }
    }
  }

  /** A zig-zag length prefix that must fit in the bytes left. */
  private long length(String what) throws UndecodableEventException {
    long n = zigzag(varint(10));
    if (n < 0 || n > remaining()) {
      throw corrupt(what + " " + n + " exceeds the " + remaining() + " bytes left");
    }
    return n;
  }

  private int index(int size, String what) throws UndecodableEventException {
    long i = zigzag(varint(10));
    if (i < 0 || i >= size) {
      throw corrupt(what + " index " + i + " outside 0.." + (size - 1));
    }
    return (int) i;
  }

  /** Raw (not yet zig-zag decoded) varint of at most {@code maxBytes} bytes. */
  private long varint(int maxBytes) throws UndecodableEventException {
    long raw = 0;
    for (int i = 0; i < maxBytes; i++) {
      int b = next();
      raw |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (maxBytes == 5 && (raw >>> 32) != 0) {
          throw corrupt("int varint overflows 32 bits");
        }
        if (maxBytes == 10 && i == 9 && b > 1) {
          throw corrupt("long varint overflows 64 bits");
        }
        return raw;
      }
    }
    throw corrupt("varint longer than " + maxBytes + " bytes");
  }

  private static long zigzag(long raw) {
    return (raw >>> 1) ^ -(raw & 1);
  }

  private int next() throws UndecodableEventException {
    if (pos >= bytes.length) {
      throw corrupt("truncated");
    }
    return bytes[pos++] & 0xFF;
  }

  private void skip(long n) throws UndecodableEventException {
    if (n > remaining()) {
      throw corrupt("truncated: needs " + n + " bytes, " + remaining() + " left");
    }
    pos += (int) n;
  }

  private int remaining() {
    return bytes.length - pos;
  }

  private UndecodableEventException corrupt(String problem) {
    return new UndecodableEventException(Reason.CORRUPT,
        "corrupt " + recordName + " body at byte " + pos + ": " + problem);
  }
}

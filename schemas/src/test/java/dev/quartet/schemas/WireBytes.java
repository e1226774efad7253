package dev.quartet.schemas;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/** Hand-built Avro single-object bytes, for feeding the decoder exactly the damage a test wants. */
final class WireBytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private WireBytes() {}

  /** Starts with the single-object header naming {@code schema}. */
  static WireBytes headerOf(Schema schema) {
    return headerWithFingerprint(SchemaNormalization.parsingFingerprint64(schema));
  }

  static WireBytes headerWithFingerprint(long fingerprint) {
    var w = new WireBytes();
    w.out.write(0xC3);
    w.out.write(0x01);
    for (int i = 0; i < 8; i++) {
      w.out.write((int) (fingerprint >>> (8 * i)) & 0xFF);
    }
    return w;
  }

  /** An Avro int or long (zig-zag varint); also lengths, counts, enum and union indexes. */
  WireBytes varint(long value) {
    long zz = (value << 1) ^ (value >> 63);
    while ((zz & ~0x7FL) != 0) {
      out.write((int) ((zz & 0x7F) | 0x80));
      zz >>>= 7;
    }
    out.write((int) zz);
    return this;
  }

  WireBytes string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    varint(utf8.length);
    out.write(utf8, 0, utf8.length);
    return this;
  }

  WireBytes raw(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}

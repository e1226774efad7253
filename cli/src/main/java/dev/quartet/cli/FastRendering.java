package dev.quartet.cli;

import dev.quartet.schemas.EvidenceEvent;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * {@link EventRendering} straight from a record's bytes, without decoding it into objects: walks
 * the Avro binary of an {@link EvidenceEvent} single-object encoded with the current schema and
 * writes the JSON line {@link EventRendering#of} would, capturing the id and config reference on
 * the way. It only takes the plain road: another writer schema, a non-ASCII or control character,
 * a duplicate map key, trailing bytes or anything malformed make it answer {@code false}, and the
 * caller decodes and renders properly ({@link dev.quartet.schemas.EventCodec}, {@link EventRendering}),
 * which has the last word. Not thread-safe: one per thread.
 */
final class FastRendering {
  private static final Schema SCHEMA = EvidenceEvent.getClassSchema();
  private static final byte[] HEADER = header();
  private static final int ID = SCHEMA.getField("id").pos();
  private static final int CONFIG_VERSION = SCHEMA.getField("configVersion").pos();
  private static final int CONFIG_DIGEST = SCHEMA.getField("configDigest").pos();
  private static final byte[] NULL = bytes("null");
  private static final byte[] TRUE = bytes("true");
  private static final byte[] FALSE = bytes("false");
  private final BundleRecords.Growable out = new BundleRecords.Growable(4096);
  // Map entries of the map being written: key offset, key length, value offset, value length.
  private int[] entries = new int[64];
  private byte[] in;
  private int pos;
  private int end;
  private int field;
  private boolean ok;
  // What the last render found.
  private int idOffset;
  private int idLength;
  private int digestOffset = -1;
  private int digestLength;
  private long configVersion;
  private boolean hasConfigVersion;

  /**
   * Renders the record {@code in[from, to)} into {@link #rendering()}; false when this fast path
   * does not apply (then nothing else this object says is meaningful).
   */
  boolean render(byte[] record, int from, int to) {
    in = record;
    end = to;
    out.clear();
    ok = true;
    digestOffset = -1;
    hasConfigVersion = false;
    if (to - from < HEADER.length || !java.util.Arrays.equals(record, from, from + HEADER.length, HEADER, 0, HEADER.length)) {
      return false;
    }
    pos = from + HEADER.length;
    field = -1;
    record(SCHEMA, true);
    return ok && pos == end;
  }

  /** The rendering of the last record rendered. */
  BundleRecords.Growable rendering() {
    return out;
  }

  /** True when the last rendering equals {@code stored[from, to)} byte for byte. */
  boolean renderingEquals(byte[] stored, int from, int to) {
    return java.util.Arrays.equals(out.bytes, 0, out.length, stored, from, to);
  }

  String id() {
    return new String(in, idOffset, idLength, StandardCharsets.US_ASCII);
  }

  /** The config digest the last record references, or null. */
  String configDigest() {
    return digestOffset < 0 ? null : new String(in, digestOffset, digestLength, StandardCharsets.US_ASCII);
  }

  /** Whether {@link #configDigest()} equals {@code digest}, without making a string. */
  boolean configDigestIs(String digest) {
    if (digestOffset < 0 || digest == null || digest.length() != digestLength) {
      return false;
    }
    for (int i = 0; i < digestLength; i++) {
      if (in[digestOffset + i] != digest.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The config version the last record names, or null. */
  Long configVersion() {
    return hasConfigVersion ? configVersion : null;
  }

  private void record(Schema s, boolean top) {
    put((byte) '{');
    List<Schema.Field> fields = s.getFields();
    for (int i = 0; i < fields.size() && ok; i++) {
      Schema.Field f = fields.get(i);
      if (i > 0) {
        put((byte) ',');
      }
      put((byte) '"');
      putAscii(f.name());
      put((byte) '"');
      put((byte) ':');
      field = top ? f.pos() : -1;
      value(f.schema());
    }
    put((byte) '}');
  }

  private void value(Schema s) {
    if (!ok) {
      return;
    }
    switch (s.getType()) {
      case NULL -> put(NULL);
      case BOOLEAN -> {
        int b = pos < end ? in[pos++] : -1;
        if (b == 0) {
          put(FALSE);
        } else if (b == 1) {
          put(TRUE);
        } else {
          ok = false;
        }
      }
      case INT, LONG -> number(s);
      case STRING -> string();
      case ENUM -> {
        long i = varLong();
        if (!ok || i < 0 || i >= s.getEnumSymbols().size()) {
          ok = false;
          return;
        }
        put((byte) '"');
        putAscii(s.getEnumSymbols().get((int) i));
        put((byte) '"');
      }
      case UNION -> {
        long branch = varLong();
        if (!ok || branch < 0 || branch >= s.getTypes().size()) {
          ok = false;
          return;
        }
        value(s.getTypes().get((int) branch));
      }
      case RECORD -> record(s, false);
      case ARRAY -> array(s.getElementType());
      case MAP -> {
        if (s.getValueType().getType() != Schema.Type.STRING) {
          ok = false;
          return;
        }
        stringMap();
      }
      default -> ok = false; // bytes, fixed, float, double: not in EvidenceEvent; the proper decoder renders them
    }
  }

  private void number(Schema s) {
    long v = varLong();
    if (!ok) {
      return;
    }
    if (s.getType() == Schema.Type.INT && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
      ok = false;
      return;
    }
    LogicalType logical = s.getLogicalType();
    if (logical instanceof LogicalTypes.TimestampMillis) {
      put((byte) '"');
      putAscii(Instant.ofEpochMilli(v).toString());
      put((byte) '"');
    } else if (logical == null) {
      if (field == CONFIG_VERSION) {
        configVersion = v;
        hasConfigVersion = true;
      }
      putAscii(Long.toString(v));
    } else {
      ok = false;
    }
  }

  private void string() {
    int length = length();
    if (!ok) {
      return;
    }
    if (field == ID) {
      idOffset = pos;
      idLength = length;
    } else if (field == CONFIG_DIGEST) {
      digestOffset = pos;
      digestLength = length;
    }
    quoted(pos, length);
    pos += length;
  }

  private void quoted(int from, int length) {
    out.ensure(2 * length + 2);
    byte[] o = out.bytes;
    int w = out.length;
    o[w++] = '"';
    for (int i = from; i < from + length; i++) {
      byte b = in[i];
      if (b < 0x20) { // negative too: non-ASCII, which the proper encoder writes as it decodes it
        ok = false;
        return;
      }
      if (b == '"' || b == '\\') {
        o[w++] = '\\';
      }
      o[w++] = b;
    }
    o[w++] = '"';
    out.length = w;
  }

  private void array(Schema items) {
    put((byte) '[');
    boolean first = true;
    for (long count = blockCount(); count != 0 && ok; count = blockCount()) {
      for (long i = 0; i < count && ok; i++) {
        if (!first) {
          put((byte) ',');
        }
        first = false;
        value(items);
      }
    }
    put((byte) ']');
  }

  private void stringMap() {
    int n = 0;
    for (long count = blockCount(); count != 0 && ok; count = blockCount()) {
      for (long i = 0; i < count && ok; i++) {
        int keyLength = length();
        int key = pos;
        pos += ok ? keyLength : 0;
        int valueLength = length();
        int value = pos;
        pos += ok ? valueLength : 0;
        if (4 * n + 4 > entries.length) {
          entries = java.util.Arrays.copyOf(entries, entries.length * 2);
        }
        entries[4 * n] = key;
        entries[4 * n + 1] = keyLength;
        entries[4 * n + 2] = value;
        entries[4 * n + 3] = valueLength;
        n++;
      }
    }
    if (!ok) {
      return;
    }
    // Keys sorted as a TreeMap of Strings sorts them; for ASCII keys that is byte order. Small maps: insertion sort.
    for (int i = 1; i < n; i++) {
      for (int j = i; j > 0 && compareKeys(j - 1, j) > 0; j--) {
        for (int k = 0; k < 4; k++) {
          int t = entries[4 * j + k];
          entries[4 * j + k] = entries[4 * (j - 1) + k];
          entries[4 * (j - 1) + k] = t;
        }
      }
    }
    put((byte) '{');
    for (int i = 0; i < n && ok; i++) {
      if (i > 0) {
        if (compareKeys(i - 1, i) == 0) {
          ok = false; // a duplicate key: the decoder keeps one of them
          return;
        }
        put((byte) ',');
      }
      quoted(entries[4 * i], entries[4 * i + 1]);
      put((byte) ':');
      quoted(entries[4 * i + 2], entries[4 * i + 3]);
    }
    put((byte) '}');
  }

  private int compareKeys(int a, int b) {
    return java.util.Arrays.compareUnsigned(in, entries[4 * a], entries[4 * a] + entries[4 * a + 1],
        in, entries[4 * b], entries[4 * b] + entries[4 * b + 1]);
  }

  /** An Avro block count; a negative count is followed by the block's byte size, which is skipped. */
  private long blockCount() {
    long count = varLong();
    if (!ok) {
      return 0;
    }
    if (count < 0) {
      if (count == Long.MIN_VALUE) {
        ok = false;
        return 0;
      }
      count = -count;
      varLong();
    }
    if (count > end - pos) { // every item takes at least one byte
      ok = false;
      return 0;
    }
    return count;
  }

  /** A string or map key length that fits in what is left. */
  private int length() {
    long length = varLong();
    if (!ok || length < 0 || length > end - pos) {
      ok = false;
      return 0;
    }
    return (int) length;
  }

  /** Avro zig-zag varint long. */
  private long varLong() {
    long raw = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= end) {
        ok = false;
        return 0;
      }
      int b = in[pos++] & 0xff;
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (shift == 63 && b > 1) {
          ok = false;
          return 0;
        }
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    ok = false;
    return 0;
  }

  private void put(byte b) {
    out.ensure(1);
    out.bytes[out.length++] = b;
  }

  private void put(byte[] b) {
    out.append(b, 0, b.length);
  }

  private void putAscii(String s) {
    int n = s.length();
    out.ensure(n);
    byte[] o = out.bytes;
    int w = out.length;
    for (int i = 0; i < n; i++) {
      o[w++] = (byte) s.charAt(i);
    }
    out.length = w;
  }

  private static byte[] header() {
    long fingerprint = SchemaNormalization.parsingFingerprint64(SCHEMA);
    byte[] h = new byte[10];
    h[0] = (byte) 0xC3;
    h[1] = 0x01;
    for (int i = 0; i < 8; i++) {
      h[2 + i] = (byte) (fingerprint >>> (8 * i)); // little-endian, as single-object encoding writes it
    }
    return h;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}

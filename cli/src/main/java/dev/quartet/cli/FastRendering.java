package dev.quartet.cli;

import dev.quartet.schemas.EvidenceEvent;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

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
  /** Per record schema its fields' {@code "name":} (after the first with a leading comma); per enum its quoted symbols. */
  private static final Map<Schema, byte[][]> TOKENS = tokens();
  private static final byte[][] TOP_TOKENS = TOKENS.get(SCHEMA);
  private static final Schema[] TOKEN_SCHEMAS = TOKENS.keySet().toArray(new Schema[0]);
  private static final byte[][][] TOKEN_VALUES = java.util.Arrays.stream(TOKEN_SCHEMAS).map(TOKENS::get).toArray(byte[][][]::new);
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH = 0x8080808080808080L;
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
  // The last whole second a timestamp was rendered for, and its ISO-8601 text up to the seconds.
  private long second = Long.MIN_VALUE;
  private byte[] secondText;

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

  /** Whether {@link #configDigest()} is the ASCII of {@code digest} (false for null), without making a string. */
  boolean configDigestIs(byte[] digest) {
    return digestOffset >= 0 && digest != null
        && java.util.Arrays.equals(in, digestOffset, digestOffset + digestLength, digest, 0, digest.length);
  }

  /** The ASCII bytes of {@link #configDigest()}, or null. */
  byte[] configDigestBytes() {
    return digestOffset < 0 ? null : java.util.Arrays.copyOfRange(in, digestOffset, digestOffset + digestLength);
  }

  boolean hasConfigDigest() {
    return digestOffset >= 0;
  }

  /** Whether the last record names the config version {@code version} (null: none), without boxing. */
  boolean configVersionIs(boolean has, long version) {
    return has == hasConfigVersion && (!has || version == configVersion);
  }

  /** The config version the last record names, or null. */
  Long configVersion() {
    return hasConfigVersion ? configVersion : null;
  }

  private void record(Schema s, boolean top) {
    put((byte) '{');
    List<Schema.Field> fields = s.getFields();
    byte[][] names = tokens(s);
    for (int i = 0; i < fields.size() && ok; i++) {
      Schema.Field f = fields.get(i);
      put(names[i]);
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
        put(tokens(s)[(int) i]);
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
      instant(v);
      put((byte) '"');
    } else if (logical == null) {
      if (field == CONFIG_VERSION) {
        configVersion = v;
        hasConfigVersion = true;
      }
      decimal(v);
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

  /**
   * {@code Instant.ofEpochMilli(millis).toString()} (ISO-8601, fraction in groups of three digits as
   * needed, so exactly three or none for milliseconds), the text up to the seconds kept for the last second.
   */
  private void instant(long millis) {
    long s = Math.floorDiv(millis, 1000L);
    int ms = (int) Math.floorMod(millis, 1000L);
    if (s != second || secondText == null) {
      String text = Instant.ofEpochSecond(s).toString(); // ends with "Z", no fraction
      secondText = text.substring(0, text.length() - 1).getBytes(StandardCharsets.US_ASCII);
      second = s;
    }
    put(secondText);
    out.ensure(5);
    byte[] o = out.bytes;
    int w = out.length;
    if (ms != 0) {
      o[w++] = '.';
      o[w++] = (byte) ('0' + ms / 100);
      o[w++] = (byte) ('0' + ms / 10 % 10);
      o[w++] = (byte) ('0' + ms % 10);
    }
    o[w++] = 'Z';
    out.length = w;
  }

  /** {@code Long.toString(v)}, without making a string. */
  private void decimal(long v) {
    if (v == Long.MIN_VALUE) {
      putAscii(Long.toString(v));
      return;
    }
    out.ensure(20);
    byte[] o = out.bytes;
    int w = out.length;
    if (v < 0) {
      o[w++] = '-';
      v = -v;
    }
    int digits = 1;
    for (long t = v; t >= 10; t /= 10) {
      digits++;
    }
    for (int i = w + digits - 1; i >= w; i--) {
      o[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    out.length = w + digits;
  }

  /**
   * The JSON string of {@code in[from, from + length)}: runs that need no escape are found eight
   * bytes at a time and copied whole; a quote or backslash is escaped; a control character or a
   * non-ASCII byte (which the proper encoder writes as it decodes it) ends the fast path.
   */
  private void quoted(int from, int length) {
    out.ensure(2 * length + 2);
    byte[] o = out.bytes;
    int w = out.length;
    o[w++] = '"';
    int i = from;
    int stop = from + length;
    if (plain(from, length)) { // the usual case: one pass to check, one copy
      System.arraycopy(in, from, o, w, length);
      w += length;
      i = stop;
    }
    while (i < stop) {
      int run = i;
      while (i + 32 <= stop && (flags((long) LONGS.get(in, i)) & flags((long) LONGS.get(in, i + 8))
          & flags((long) LONGS.get(in, i + 16)) & flags((long) LONGS.get(in, i + 24)) & HIGH) == HIGH) {
        i += 32;
      }
      while (i + 8 <= stop && plain((long) LONGS.get(in, i))) {
        i += 8;
      }
      while (i < stop) {
        byte b = in[i];
        if (b < 0x20 || b == '"' || b == '\\') {
          break;
        }
        i++;
        if (((i - run) & 7) == 0 && i + 8 <= stop) {
          break; // back to eight at a time
        }
      }
      System.arraycopy(in, run, o, w, i - run);
      w += i - run;
      if (i < stop) {
        byte b = in[i];
        if (b < 0x20) { // negative too: non-ASCII
          ok = false;
          return;
        }
        if (b == '"' || b == '\\') {
          o[w++] = '\\';
          o[w++] = b;
          i++;
        }
      }
    }
    o[w++] = '"';
    out.length = w;
  }

  /** True when no byte of {@code in[from, from + length)} needs an escape or ends the fast path (see {@link #plain(long)}). */
  private boolean plain(int from, int length) {
    int stop = from + length;
    if (length < 8) {
      for (int i = from; i < stop; i++) {
        byte b = in[i];
        if (b < 0x20 || b == '"' || b == '\\') {
          return false;
        }
      }
      return true;
    }
    long a = HIGH;
    long b = HIGH;
    int i = from;
    for (; i + 16 <= stop; i += 16) {
      a &= flags((long) LONGS.get(in, i));
      b &= flags((long) LONGS.get(in, i + 8));
    }
    if (i + 8 <= stop) {
      a &= flags((long) LONGS.get(in, i));
    }
    b &= flags((long) LONGS.get(in, stop - 8)); // the last eight, overlapping what was checked
    return (a & b & HIGH) == HIGH;
  }

  /** True when none of the eight bytes of {@code x} is below 0x20, above 0x7f, a quote or a backslash. */
  static boolean plain(long x) {
    return (flags(x) & HIGH) == HIGH;
  }

  /**
   * Per byte of {@code x}, the high bit set when it is plain (see {@link #plain}), exact while every
   * byte is ASCII; a non-ASCII byte clears its own bit, and may disturb the others only then.
   */
  private static long flags(long x) {
    long quote = x ^ 0x2222222222222222L;
    long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
    // ASCII v: v + 0x60 has its high bit iff v >= 0x20; (v ^ c) + 0x7f has it iff v != c. No carries between bytes.
    return ~x & (x + 0x6060606060606060L) & (quote + 0x7F7F7F7F7F7F7F7FL) & (backslash + 0x7F7F7F7F7F7F7F7FL);
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

  /** {@link #TOKENS} of {@code s}, the top record's and the last other's kept at hand. */
  private static byte[][] tokens(Schema s) {
    if (s == SCHEMA) {
      return TOP_TOKENS;
    }
    for (int i = 0; i < TOKEN_SCHEMAS.length; i++) { // a handful of schemas: a scan beats hashing
      if (TOKEN_SCHEMAS[i] == s) {
        return TOKEN_VALUES[i];
      }
    }
    return TOKENS.get(s);
  }

  private static Map<Schema, byte[][]> tokens() {
    Map<Schema, byte[][]> tokens = new IdentityHashMap<>();
    collect(SCHEMA, tokens);
    return tokens;
  }

  private static void collect(Schema s, Map<Schema, byte[][]> tokens) {
    switch (s.getType()) {
      case RECORD -> {
        if (tokens.containsKey(s)) {
          return;
        }
        List<Schema.Field> fields = s.getFields();
        byte[][] names = new byte[fields.size()][];
        tokens.put(s, names);
        for (int i = 0; i < names.length; i++) {
          names[i] = bytes((i > 0 ? "," : "") + "\"" + fields.get(i).name() + "\":");
          collect(fields.get(i).schema(), tokens);
        }
      }
      case ENUM -> tokens.put(s, s.getEnumSymbols().stream().map(e -> bytes("\"" + e + "\"")).toArray(byte[][]::new));
      case UNION -> s.getTypes().forEach(t -> collect(t, tokens));
      case ARRAY -> collect(s.getElementType(), tokens);
      case MAP -> collect(s.getValueType(), tokens);
      default -> { }
    }
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

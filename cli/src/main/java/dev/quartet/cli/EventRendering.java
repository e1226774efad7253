package dev.quartet.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The readable JSON rendering of a decoded event that a bundle carries beside its exact bytes, one
 * line of JSON: every schema field in schema order, instants as ISO-8601, map keys sorted, so the
 * same record always renders the same ({@link FastRendering} produces the same bytes straight from
 * the record). Verify re-renders each record and compares, so the readable copy an
 * auditor looks at cannot say something other than the bytes that were proven.
 */
final class EventRendering {
  private EventRendering() {}

  /** The rendering of {@code event}: UTF-8 JSON on one line, without the newline. */
  static byte[] of(IndexedRecord event) {
    return BundleDocuments.writeLine(fields(event));
  }

  /** True when {@code stored} renders the same JSON as {@code event} (byte-identical, else the same JSON value). */
  static boolean matches(IndexedRecord event, byte[] stored) {
    return matches(event, stored, 0, stored.length);
  }

  /** As {@link #matches(IndexedRecord, byte[])} for {@code stored[from, to)}. */
  static boolean matches(IndexedRecord event, byte[] stored, int from, int to) {
    byte[] expected = of(event);
    if (Arrays.equals(expected, 0, expected.length, stored, from, to)) {
      return true;
    }
    // Whitespace may differ between JSON writers; the value may not.
    try {
      JsonNode a = BundleDocuments.JSON.readTree(expected);
      JsonNode b = BundleDocuments.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .readTree(stored, from, to - from);
      return a.equals(b);
    } catch (IOException e) {
      return false;
    }
  }

  private static Map<String, Object> fields(IndexedRecord record) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Schema.Field f : record.getSchema().getFields()) {
      out.put(f.name(), value(record.get(f.pos())));
    }
    return out;
  }

  private static Object value(Object v) {
    if (v == null || v instanceof Boolean || v instanceof Number) {
      return v;
    }
    if (v instanceof CharSequence || v instanceof Enum<?> || v instanceof GenericEnumSymbol<?>) {
      return v.toString();
    }
    if (v instanceof Instant i) {
      return i.toString();
    }
    if (v instanceof IndexedRecord r) {
      return fields(r);
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> sorted = new TreeMap<>();
      m.forEach((k, x) -> sorted.put(k.toString(), value(x)));
      return sorted;
    }
    if (v instanceof Collection<?> c) {
      List<Object> list = new ArrayList<>(c.size());
      c.forEach(x -> list.add(value(x)));
      return list;
    }
    if (v instanceof ByteBuffer b) {
      return Base64.getEncoder().encodeToString(Arrays.copyOfRange(b.array(), b.arrayOffset() + b.position(),
          b.arrayOffset() + b.limit()));
    }
    return v.toString();
  }
}

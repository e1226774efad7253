package dev.quartet.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaNormalization;

/**
 * The released versions of every Quartet event schema, as shipped on the classpath under
 * {@code released/<RecordName>/v<N>.avsc} and listed in {@code released/index.txt}; plus the
 * full-compatibility check that keeps the current schemas readable by and for every release.
 *
 * <p>A released file is frozen: it is the self-contained writer schema that data on the topics
 * may have been written with, and its index line pins its CRC-64-AVRO fingerprint (the one in
 * every single-object header written with it). To release a new version, add {@code v<N+1>.avsc}
 * and its index line; never edit or delete an existing one.
 */
public final class SchemaCatalog {

  /**
   * Classpath resource listing the released schema files, one {@code Name/vN.avsc 0x<fingerprint>}
   * per line, oldest version first; {@code #} starts a comment line.
   */
  public static final String INDEX_RESOURCE = "released/index.txt";

  private static final Pattern INDEX_LINE = Pattern.compile(
      "(([A-Za-z_][A-Za-z0-9_]*)/v([1-9][0-9]*)\\.avsc)\\s+0x([0-9a-f]{16})");

  private final Map<String, List<Schema>> versionsByRecord;

  private SchemaCatalog(Map<String, List<Schema>> versionsByRecord) {
    var copy = new TreeMap<String, List<Schema>>();
    versionsByRecord.forEach((name, versions) -> {
      if (versions.isEmpty()) {
        throw new IllegalArgumentException("SchemaCatalog: " + name + " has no versions");
      }
      for (Schema s : versions) {
        if (!s.getName().equals(name)) {
          throw new IllegalArgumentException(
              "SchemaCatalog: a version of " + name + " is a schema named " + s.getFullName());
        }
      }
      copy.put(name, List.copyOf(versions));
    });
    this.versionsByRecord = Collections.unmodifiableMap(copy);
  }

  /**
   * Loads the released schemas shipped with this module.
   *
   * @throws IllegalStateException if the index or a listed file is missing, unparsable, out of
   *     order, or names a different record than its directory (a packaging bug, not a runtime
   *     condition)
   */
  public static SchemaCatalog released() {
    return load(SchemaCatalog.class.getClassLoader());
  }

  /** Loads released schemas from {@code loader}, see {@link #released()}. */
  public static SchemaCatalog load(ClassLoader loader) {
    var versions = new TreeMap<String, List<Schema>>();
    for (String line : readIndex(loader)) {
      Matcher m = INDEX_LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalStateException(INDEX_RESOURCE + ": expected 'Name/vN.avsc 0x<16 hex>', got '" + line + "'");
      }
      String file = m.group(1);
      String name = m.group(2);
      int version = Integer.parseInt(m.group(3));
      List<Schema> list = versions.computeIfAbsent(name, n -> new ArrayList<>());
      if (version != list.size() + 1) {
        throw new IllegalStateException(INDEX_RESOURCE + ": " + file + " should be v" + (list.size() + 1)
            + " (versions are listed in order, without gaps)");
      }
      Schema schema = parseResource(loader, "released/" + file);
      if (!schema.getName().equals(name)) {
        throw new IllegalStateException("released/" + file + " defines " + schema.getFullName());
      }
      // Data on the topics carries the fingerprint the file had when released: a file edited since
      // would leave that data undecodable, so refuse it.
      String fingerprint = String.format("%016x", SchemaNormalization.parsingFingerprint64(schema));
      if (!fingerprint.equals(m.group(4))) {
        throw new IllegalStateException("released/" + file + " has fingerprint 0x" + fingerprint + " but was released as 0x"
            + m.group(4) + ": released schemas must never be edited");
      }
      list.add(schema);
    }
    return new SchemaCatalog(versions);
  }

  /** A catalog of the given versions, oldest first (v1 at index 0); for tools and tests. */
  public static SchemaCatalog of(Map<String, List<Schema>> versionsByRecord) {
    return new SchemaCatalog(versionsByRecord);
  }

  /** This catalog plus {@code schema} as the next version of its record. */
  public SchemaCatalog withNextVersion(Schema schema) {
    var next = new TreeMap<>(versionsByRecord);
    var list = new ArrayList<>(next.getOrDefault(schema.getName(), List.of()));
    list.add(schema);
    next.put(schema.getName(), list);
    return new SchemaCatalog(next);
  }

  /** Simple names of all released records, sorted. */
  public Set<String> recordNames() {
    return versionsByRecord.keySet();
  }

  /** Released versions of a record, v1 first; empty if the record was never released. */
  public List<Schema> versions(String recordName) {
    return versionsByRecord.getOrDefault(recordName, List.of());
  }

  /**
   * Checks that {@code current} is fully compatible with every released version: it can read
   * data written with each of them (backward) and each of them can read data it writes
   * (forward), per Avro schema resolution.
   *
   * @param released the released versions, v1 first
   * @return human-readable incompatibilities naming version, direction and field; empty when
   *     compatible
   */
  public static List<String> checkCompatibility(Schema current, List<Schema> released) {
    var problems = new ArrayList<String>();
    for (int i = 0; i < released.size(); i++) {
      Schema old = released.get(i);
      String label = current.getName() + " v" + (i + 1);
      describe(label + ", backward (current schema cannot read v" + (i + 1) + " data)",
          current, SchemaCompatibility.checkReaderWriterCompatibility(current, old)
              .getResult().getIncompatibilities(), problems);
      describe(label + ", forward (v" + (i + 1) + " readers cannot read current data)",
          old, SchemaCompatibility.checkReaderWriterCompatibility(old, current)
              .getResult().getIncompatibilities(), problems);
    }
    return List.copyOf(problems);
  }

  private static void describe(String context, Schema reader, List<Incompatibility> found,
      List<String> out) {
    for (Incompatibility inc : found) {
      String where = fieldPath(reader, inc.getLocation());
      Schema fragment = inc.getReaderFragment();
      if (where.startsWith("record ") && isNamed(fragment) && !fragment.equals(reader)) {
        // Avro memoizes shared named types, so a problem found first elsewhere has no field path.
        where = "type '" + fragment.getName() + "'";
      }
      out.add(context + ": " + inc.getType() + " at " + where + " (" + inc.getLocation() + "): " + inc.getMessage());
    }
  }

  private static boolean isNamed(Schema s) {
    return s != null && (s.getType() == Schema.Type.RECORD || s.getType() == Schema.Type.ENUM
        || s.getType() == Schema.Type.FIXED);
  }

  /**
   * Turns Avro's location pointer (e.g. {@code /fields/3/type/fields/1/type}) into field names
   * ({@code field 'inputRef.sha256'}) so a failing build names what to fix.
   */
  static String fieldPath(Schema reader, String location) {
    var names = new ArrayList<String>();
    Schema s = reader;
    String[] tokens = location.split("/");
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      if (t.equals("fields") && i + 1 < tokens.length && s.getType() == Schema.Type.RECORD) {
        int index = Integer.parseInt(tokens[++i]);
        if (index >= s.getFields().size()) {
          break;
        }
        Schema.Field f = s.getFields().get(index);
        names.add(f.name());
        s = f.schema();
      } else if (t.equals("items") && s.getType() == Schema.Type.ARRAY) {
        s = s.getElementType();
      } else if (t.equals("values") && s.getType() == Schema.Type.MAP) {
        s = s.getValueType();
      } else if (!t.isEmpty() && !t.equals("type") && !t.chars().allMatch(Character::isDigit)) {
        break; // symbols, size, name: the problem is on the named type itself
      }
      // A bare number is a writer union branch; the reader schema stays where it is.
    }
    return names.isEmpty() ? "record " + reader.getName() : "field '" + String.join(".", names) + "'";
  }

  private static List<String> readIndex(ClassLoader loader) {
    try (InputStream in = loader.getResourceAsStream(INDEX_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource " + INDEX_RESOURCE + " not found");
      }
      var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      return reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + INDEX_RESOURCE, e);
    }
  }

  private static Schema parseResource(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource " + resource + " listed in "
            + INDEX_RESOURCE + " not found");
      }
      // A fresh parser per file: each released file is self-contained and redefines shared types.
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource, e);
    } catch (AvroRuntimeException e) {
      throw new IllegalStateException("released schema " + resource + " does not parse: " + e.getMessage(), e);
    }
  }
}

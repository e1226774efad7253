package dev.quartet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** A structural difference of two JSON documents: what was added, removed or changed, by path. */
final class JsonDiff {
  /** One difference at {@code path} ({@code $.a.b[2]}); {@code before}/{@code after} are null when absent. */
  record Difference(String path, Kind kind, JsonNode before, JsonNode after) {}

  /** How a value differs. */
  enum Kind { ADDED, REMOVED, CHANGED }

  private JsonDiff() {}

  /** The differences from {@code before} to {@code after}, in path order, at most {@code max} of them. */
  static List<Difference> between(JsonNode before, JsonNode after, int max) {
    List<Difference> out = new ArrayList<>();
    walk("$", before, after, out, max);
    return out;
  }

  private static void walk(String path, JsonNode a, JsonNode b, List<Difference> out, int max) {
    if (out.size() >= max) {
      return;
    }
    if (a.isObject() && b.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String child = path + "." + name;
        if (!a.has(name)) {
          add(out, max, new Difference(child, Kind.ADDED, null, b.get(name)));
        } else if (!b.has(name)) {
          add(out, max, new Difference(child, Kind.REMOVED, a.get(name), null));
        } else {
          walk(child, a.get(name), b.get(name), out, max);
        }
      }
      return;
    }
    if (a.isArray() && b.isArray()) {
      int common = Math.min(a.size(), b.size());
      for (int i = 0; i < common; i++) {
        walk(path + "[" + i + "]", a.get(i), b.get(i), out, max);
      }
      for (int i = common; i < b.size(); i++) {
        add(out, max, new Difference(path + "[" + i + "]", Kind.ADDED, null, b.get(i)));
      }
      for (int i = common; i < a.size(); i++) {
        add(out, max, new Difference(path + "[" + i + "]", Kind.REMOVED, a.get(i), null));
      }
      return;
    }
    if (!a.equals(b)) {
      add(out, max, new Difference(path, Kind.CHANGED, a, b));
    }
  }

  private static void add(List<Difference> out, int max, Difference d) {
    if (out.size() < max) {
      out.add(d);
    }
  }
}

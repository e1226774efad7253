package dev.quartet.control.domain;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small JSON Schema (draft 2020-12) validator for the subset of keywords Quartet's published
 * schemas use, over the JSON value model of {@code JsonParser} (maps, lists, strings, numbers,
 * booleans, null). The schema is checked when built: a keyword outside the subset is refused, so
 * a schema can never silently mean more than this validator enforces. The first violation is
 * thrown as a {@link ConfigDocumentException} naming its path; a failing subschema with a
 * {@code description} is reported as "must be DESCRIPTION" (e.g. "must be a size such as 10MiB").
 */
public final class JsonSchemaValidator {
  static final Set<String> KEYWORDS = Set.of("$schema", "$id", "$defs", "$ref", "title", "description", "type", "properties",
      "required", "additionalProperties", "items", "enum", "const", "pattern", "minimum", "maximum", "minItems", "maxItems",
      "minLength", "maxLength", "maxProperties", "if", "then");
  private static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean", "null");
  // Schemas are tiny; the bound only stops a self-referencing $ref from recursing forever.
  private static final int MAX_DEPTH = 64;

  private final Map<String, Object> root;

  /** @throws IllegalArgumentException if the schema uses a keyword or a $ref this validator does not support */
  public JsonSchemaValidator(Map<String, Object> schema) {
    this.root = Map.copyOf(schema);
    checkSchema(root, "#");
  }

  /**
   * Validates {@code value} located at {@code path} (e.g. {@code body}).
   *
   * @throws ConfigDocumentException naming the path of the first violation
   */
  public void validate(Object value, String path) {
    check(root, value, path, 0);
  }

  private void check(Map<String, Object> schema, Object value, String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalStateException("schema $ref nesting over " + MAX_DEPTH + " at " + path);
    }
    if (schema.get("$ref") instanceof String ref) {
      check(resolve(ref), value, path, depth + 1);
    }
    if (schema.get("type") instanceof String type && !hasType(value, type)) {
      fail(schema, path, "must be " + article(type));
    }
    if (schema.get("enum") instanceof List<?> allowed && !allowed.contains(value)) {
      fail(schema, path, "must be one of " + allowed);
    }
    if (schema.containsKey("const") && !Objects.equals(schema.get("const"), value)) {
      fail(schema, path, "must be " + schema.get("const"));
    }
    if (value instanceof String s) {
      checkString(schema, s, path);
    } else if (value instanceof Double d) {
      checkNumber(schema, d, path);
    } else if (value instanceof List<?> list) {
      checkArray(schema, list, path, depth);
    } else if (value instanceof Map<?, ?> map) {
      checkObject(schema, map, path, depth);
    }
    if (schema.get("if") instanceof Map<?, ?> condition && schema.get("then") instanceof Map<?, ?> then && holds(condition, value, path, depth)) {
      check(cast(then), value, path, depth + 1);
    }
  }

  private void checkString(Map<String, Object> schema, String s, String path) {
    if (schema.get("minLength") instanceof Double min && s.codePointCount(0, s.length()) < min) {
      fail(schema, path, "must be at least " + min.intValue() + " characters");
    }
    if (schema.get("maxLength") instanceof Double max && s.codePointCount(0, s.length()) > max) {
      fail(schema, path, "must be at most " + max.intValue() + " characters");
    }
    if (schema.get("pattern") instanceof String p && !Pattern.compile(p).matcher(s).find()) {
      fail(schema, path, "must match " + p);
    }
  }

  private static void checkNumber(Map<String, Object> schema, double d, String path) {
    if (schema.get("minimum") instanceof Double min && d < min) {
      fail(schema, path, "must be at least " + shown(min));
    }
    if (schema.get("maximum") instanceof Double max && d > max) {
      fail(schema, path, "must be at most " + shown(max));
    }
  }

  private void checkArray(Map<String, Object> schema, List<?> list, String path, int depth) {
    if (schema.get("minItems") instanceof Double min && list.size() < min) {
      fail(schema, path, "must have at least " + min.intValue() + " items");
    }
    if (schema.get("maxItems") instanceof Double max && list.size() > max) {
      fail(schema, path, "must have at most " + max.intValue() + " items");
    }
    if (schema.get("items") instanceof Map<?, ?> items) {
      for (int i = 0; i < list.size(); i++) {
        check(cast(items), list.get(i), path + "[" + i + "]", depth + 1);
      }
    }
  }

  private void checkObject(Map<String, Object> schema, Map<?, ?> map, String path, int depth) {
    if (schema.get("required") instanceof List<?> required) {
      for (Object name : required) {
        if (map.get(name) == null) {
          throw new ConfigDocumentException(path + "." + name, "is required");
        }
      }
    }
    if (schema.get("maxProperties") instanceof Double max && map.size() > max) {
      fail(schema, path, "must have at most " + max.intValue() + " entries");
    }
    Map<?, ?> properties = schema.get("properties") instanceof Map<?, ?> p ? p : Map.of();
    Object additional = schema.get("additionalProperties");
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String childPath = path + "." + e.getKey();
      if (properties.get(e.getKey()) instanceof Map<?, ?> property) {
        check(cast(property), e.getValue(), childPath, depth + 1);
      } else if (Boolean.FALSE.equals(additional)) {
        throw new ConfigDocumentException(childPath, "unknown field; allowed: " + properties.keySet());
      } else if (additional instanceof Map<?, ?> each) {
        check(cast(each), e.getValue(), childPath, depth + 1);
      }
    }
  }

  private boolean holds(Map<?, ?> condition, Object value, String path, int depth) {
    try {
      check(cast(condition), value, path, depth + 1);
      return true;
    } catch (ConfigDocumentException e) {
      return false;
    }
  }

  private static boolean hasType(Object value, String type) {
    return switch (type) {
      case "object" -> value instanceof Map<?, ?>;
      case "array" -> value instanceof List<?>;
      case "string" -> value instanceof String;
      case "number" -> value instanceof Double;
      case "integer" -> value instanceof Double d && d == Math.rint(d);
      case "boolean" -> value instanceof Boolean;
      case "null" -> value == null;
      default -> throw new IllegalStateException("unsupported type " + type);
    };
  }

  /** A subschema's description, when it has one, is the reader's name for what the value must be. */
  private static void fail(Map<String, Object> schema, String path, String fallback) {
    throw new ConfigDocumentException(path, schema.get("description") instanceof String d ? "must be " + d : fallback);
  }

  private Map<String, Object> resolve(String ref) {
    if (!ref.startsWith("#/$defs/") || !(root.get("$defs") instanceof Map<?, ?> defs)
        || !(defs.get(ref.substring("#/$defs/".length())) instanceof Map<?, ?> target)) {
      throw new IllegalArgumentException("unsupported or dangling $ref " + ref);
    }
    return cast(target);
  }

  private void checkSchema(Object node, String at) {
    if (!(node instanceof Map<?, ?> schema)) {
      throw new IllegalArgumentException("schema at " + at + " must be an object");
    }
    for (Map.Entry<?, ?> e : schema.entrySet()) {
      String key = (String) e.getKey();
      if (!KEYWORDS.contains(key)) {
        throw new IllegalArgumentException("schema keyword " + key + " at " + at + " is not supported");
      }
      Object v = e.getValue();
      switch (key) {
        case "$ref" -> resolve((String) v);
        case "properties", "$defs" -> ((Map<?, ?>) v).forEach((k, sub) -> checkSchema(sub, at + "/" + key + "/" + k));
        case "items", "if", "then" -> checkSchema(v, at + "/" + key);
        case "additionalProperties" -> {
          if (!(v instanceof Boolean)) {
            checkSchema(v, at + "/" + key);
          }
        }
        case "pattern" -> Pattern.compile((String) v);
        case "type" -> {
          if (!TYPES.contains(v)) {
            throw new IllegalArgumentException("schema type " + v + " at " + at + " is not supported");
          }
        }
        default -> { }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static String article(String type) {
    return switch (type) {
      case "object", "array", "integer" -> "an " + (type.equals("integer") ? "integer" : type);
      default -> "a " + type;
    };
  }

  private static String shown(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}

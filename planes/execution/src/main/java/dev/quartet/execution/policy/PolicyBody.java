package dev.quartet.execution.policy;

import dev.quartet.schemas.Classification;

import java.util.List;
import java.util.Map;

/** Typed reads of a parsed config body; every error names the field path. */
final class PolicyBody {
  private PolicyBody() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, Object> parent, String key, String path, boolean required) {
    Object v = parent.get(key);
    if (v == null) {
      if (required) {
        throw new PolicyConfigException(path, "is required");
      }
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new PolicyConfigException(path, "must be an object");
    }
    return (Map<String, Object>) m;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> parent, String key, String path, boolean required) {
    Object v = parent.get(key);
    if (v == null) {
      if (required) {
        throw new PolicyConfigException(path, "is required");
      }
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw new PolicyConfigException(path, "must be a list");
    }
    return (List<Object>) l;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> element(Object v, String path) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new PolicyConfigException(path, "must be an object");
    }
    return (Map<String, Object>) m;
  }

  static String text(Map<String, Object> parent, String key, String path) {
    if (!(parent.get(key) instanceof String s) || s.isBlank()) {
      throw new PolicyConfigException(path, "is required and must be a non-empty string");
    }
    return s;
  }

  static long wholeNumber(Map<String, Object> parent, String key, String path, long absent) {
    Object v = parent.get(key);
    if (v == null) {
      return absent;
    }
    if (!(v instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.rint(n.doubleValue())
        || n.doubleValue() > 9_007_199_254_740_991d) {
      throw new PolicyConfigException(path, "must be a non-negative whole number");
    }
    return n.longValue();
  }

  static long size(Map<String, Object> parent, String key, String path, long absent) {
    Object v = parent.get(key);
    if (v == null) {
      return absent;
    }
    try {
      if (v instanceof Number) {
        return wholeNumber(parent, key, path, absent);
      }
      return DataSize.parse(v instanceof String s ? s : null).bytes();
    } catch (IllegalArgumentException e) {
      throw new PolicyConfigException(path, e.getMessage());
    }
  }

  static Classification classification(Object v, String path) {
    if (v instanceof String s) {
      for (Classification c : Classification.values()) {
        if (c.name().equals(s)) {
          return c;
        }
      }
    }
    throw new PolicyConfigException(path, "must be one of PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED");
  }
}

package dev.quartet.execution.handler;

import dev.quartet.contracts.trust.CanonicalJson;
import dev.quartet.contracts.trust.JsonParser;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kind {@code transform}: deterministic built-ins chosen with param {@code op} — {@code identity}
 * (the default: output = input), {@code uppercase}, {@code lowercase} (UTF-8 text),
 * {@code select} (param {@code path}: the JSON value at a dotted path; a numeric segment indexes
 * an array), {@code map} (params {@code path} of an array and {@code field}: the array of that
 * field), {@code hash} ({@code {"sha256":"<hex>"}}) and {@code template} (param {@code template}
 * with {@code {{path}}} placeholders filled from the JSON input; strings go in as they are, other
 * values as canonical JSON). JSON output is RFC 8785 canonical. Every failure is permanent: the
 * same input fails the same way.
 */
public final class TransformHandler implements TaskHandler {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]+)\\s*}}");
  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain; charset=utf-8";

  @Override
  public String kind() {
    return "transform";
  }

  @Override
  public HandlerOutput run(HandlerInvocation call) throws HandlerFailure {
    String op = call.param("op", "identity");
    byte[] input = call.input();
    HandlerOutput out = switch (op) {
      case "identity" -> new HandlerOutput(input, "application/octet-stream");
      case "uppercase" -> new HandlerOutput(utf8(text(input, op).toUpperCase(Locale.ROOT)), TEXT);
      case "lowercase" -> new HandlerOutput(utf8(text(input, op).toLowerCase(Locale.ROOT)), TEXT);
      case "hash" -> new HandlerOutput(CanonicalJson.serialize(Map.of("sha256", sha256(input))), JSON);
      case "select" -> {
        String path = required(call, op, "path");
        yield new HandlerOutput(CanonicalJson.serialize(at(json(input, op), path, op)), JSON);
      }
      case "map" -> new HandlerOutput(CanonicalJson.serialize(map(call, json(input, op))), JSON);
      case "template" -> new HandlerOutput(template(call, json(input, op)), TEXT);
      default -> throw HandlerFailure.permanent("transform: unknown op '" + op
          + "'; known: identity, uppercase, lowercase, select, map, hash, template");
    };
    if (out.size() > call.limits().maxOutputBytes()) {
      throw HandlerFailure.permanent("transform " + op + ": output of " + out.size() + " bytes exceeds the limit of "
          + call.limits().maxOutputBytes());
    }
    return out;
  }

  private static List<Object> map(HandlerInvocation call, Object root) throws HandlerFailure {
    String path = required(call, "map", "path");
    String field = required(call, "map", "field");
    if (!(at(root, path, "map") instanceof List<?> items)) {
      throw HandlerFailure.permanent("transform map: path '" + path + "' is not an array");
    }
    List<Object> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      try {
        out.add(at(items.get(i), field, "map"));
      } catch (HandlerFailure e) {
        throw HandlerFailure.permanent("transform map: field '" + field + "' missing in " + path + "[" + i + "]");
      }
    }
    return out;
  }

  private static byte[] template(HandlerInvocation call, Object root) throws HandlerFailure {
    String template = required(call, "template", "template");
    long limit = call.limits().maxOutputBytes();
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Object value = at(root, m.group(1), "template");
      String text = value instanceof String s ? s : new String(CanonicalJson.serialize(value), StandardCharsets.UTF_8);
      m.appendReplacement(out, Matcher.quoteReplacement(text));
      // Each char is at least one UTF-8 byte: stop as soon as the text is surely over the limit.
      if (out.length() > limit) {
        throw HandlerFailure.permanent("transform template: output exceeds the limit of " + limit + " bytes");
      }
    }
    m.appendTail(out);
    return utf8(out.toString());
  }

  /** The value at a dotted path; a numeric segment indexes an array. */
  static Object at(Object root, String path, String op) throws HandlerFailure {
    Object current = root;
    for (String segment : path.split("\\.", -1)) {
      if (current instanceof Map<?, ?> m && m.containsKey(segment)) {
        current = m.get(segment);
      } else if (current instanceof List<?> l && segment.matches("\\d{1,9}") && Integer.parseInt(segment) < l.size()) {
        current = l.get(Integer.parseInt(segment));
      } else {
        throw HandlerFailure.permanent("transform " + op + ": path '" + path + "' not found in the input");
      }
    }
    return current;
  }

  private static String required(HandlerInvocation call, String op, String param) throws HandlerFailure {
    String value = call.params().get(param);
    if (value == null || value.isEmpty()) {
      throw HandlerFailure.permanent("transform " + op + ": param '" + param + "' is required");
    }
    return value;
  }

  private static Object json(byte[] input, String op) throws HandlerFailure {
    try {
      return JsonParser.parse(input);
    } catch (IllegalArgumentException e) {
      // The parser's message names a position, never the text.
      throw HandlerFailure.permanent("transform " + op + ": input is not JSON (" + e.getMessage() + ")");
    }
  }

  private static String text(byte[] input, String op) throws HandlerFailure {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(input)).toString();
    } catch (CharacterCodingException e) {
      throw HandlerFailure.permanent("transform " + op + ": input is not UTF-8 text");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] input) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}

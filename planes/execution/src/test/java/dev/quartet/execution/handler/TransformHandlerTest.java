package dev.quartet.execution.handler;

import static dev.quartet.execution.handler.Invocations.text;
import static dev.quartet.execution.handler.Invocations.transform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quartet.execution.policy.ToolDefinition;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TransformHandlerTest {
  private static final String ORDER = """
      {"order":{"id":"o-1","lines":[{"sku":"a","qty":2},{"sku":"b","qty":1}],"customer":{"name":"Ada"}}}
      """;
  private final TransformHandler handler = new TransformHandler();

  @Test
  void withoutAnOpTheOutputIsTheInput() throws Exception {
    Random random = new Random(7L);
    for (int i = 0; i < 50; i++) {
      byte[] input = new byte[random.nextInt(4096)];
      random.nextBytes(input);
      HandlerInvocation call = Invocations.of(new ToolDefinition("transform", "transform", List.of()), Map.of(),
          input, Invocations.LIMITS, Set.of());
      assertArrayEquals(input, handler.run(call).bytes());
    }
  }

  @Test
  void changesTheCaseOfText() throws Exception {
    assertEquals("HELLO, WÖRLD", text(handler.run(transform(Map.of("op", "uppercase"), "Hello, wörld"))));
    assertEquals("hello, wörld", text(handler.run(transform(Map.of("op", "lowercase"), "Hello, WÖRLD"))));
  }

  @Test
  void selectsTheValueAtADottedPath() throws Exception {
    assertEquals("{\"name\":\"Ada\"}", text(handler.run(transform(Map.of("op", "select", "path", "order.customer"), ORDER))));
    assertEquals("\"b\"", text(handler.run(transform(Map.of("op", "select", "path", "order.lines.1.sku"), ORDER))));
  }

  @Test
  void mapsAnArrayToOneFieldOfEachElement() throws Exception {
    assertEquals("[2,1]", text(handler.run(transform(Map.of("op", "map", "path", "order.lines", "field", "qty"), ORDER))));
  }

  @Test
  void hashesTheInputWithSha256() throws Exception {
    Random random = new Random(99L);
    byte[] input = new byte[1000];
    random.nextBytes(input);
    HandlerInvocation call = Invocations.of(new ToolDefinition("transform", "transform", List.of()),
        Map.of("op", "hash"), input, Invocations.LIMITS, Set.of());
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input));
    assertEquals("{\"sha256\":\"" + expected + "\"}", text(handler.run(call)));
  }

  @Test
  void fillsATemplateFromTheInput() throws Exception {
    HandlerOutput out = handler.run(transform(Map.of("op", "template",
        "template", "Order {{order.id}} for {{ order.customer.name }}: {{order.lines.0}}"), ORDER));
    assertEquals("Order o-1 for Ada: {\"qty\":2,\"sku\":\"a\"}", text(out));
  }

  @Test
  void aMissingPathFailsPermanentlyNamingOpAndPath() {
    HandlerFailure f = assertThrows(HandlerFailure.class,
        () -> handler.run(transform(Map.of("op", "select", "path", "order.nothing"), ORDER)));
    assertFalse(f.retryable());
    assertTrue(f.reason().contains("select") && f.reason().contains("order.nothing"), f.reason());
    f = assertThrows(HandlerFailure.class,
        () -> handler.run(transform(Map.of("op", "map", "path", "order.lines", "field", "price"), ORDER)));
    assertTrue(f.reason().contains("map") && f.reason().contains("price"), f.reason());
    f = assertThrows(HandlerFailure.class,
        () -> handler.run(transform(Map.of("op", "template", "template", "{{order.x}}"), ORDER)));
    assertTrue(f.reason().contains("template") && f.reason().contains("order.x"), f.reason());
  }

  @Test
  void badJsonFailsPermanentlyWithoutQuotingTheInput() {
    HandlerFailure f = assertThrows(HandlerFailure.class,
        () -> handler.run(transform(Map.of("op", "select", "path", "a"), "{\"secret-value\": ")));
    assertFalse(f.retryable());
    assertTrue(f.reason().contains("select"), f.reason());
    assertFalse(f.reason().contains("secret-value"), f.reason());
  }

  @Test
  void unknownOpsAndMissingParamsAreRefused() {
    HandlerFailure f = assertThrows(HandlerFailure.class, () -> handler.run(transform(Map.of("op", "eval"), "{}")));
    assertTrue(f.reason().contains("eval"), f.reason());
    f = assertThrows(HandlerFailure.class, () -> handler.run(transform(Map.of("op", "select"), "{}")));
    assertTrue(f.reason().contains("path"), f.reason());
  }

  @Test
  void outputOverTheLimitFails() {
    HandlerInvocation call = Invocations.of(new ToolDefinition("transform", "transform", List.of()),
        Map.of("op", "uppercase"), Invocations.utf8("x".repeat(101)), Invocations.limits(Duration.ofSeconds(1), 100),
        Set.of());
    HandlerFailure f = assertThrows(HandlerFailure.class, () -> handler.run(call));
    assertFalse(f.retryable());
    assertTrue(f.reason().contains("limit of 100"), f.reason());
    HandlerInvocation template = Invocations.of(new ToolDefinition("transform", "transform", List.of()),
        Map.of("op", "template", "template", "{{a}}{{a}}{{a}}"), Invocations.utf8("{\"a\":\"" + "y".repeat(40) + "\"}"),
        Invocations.limits(Duration.ofSeconds(1), 100), Set.of());
    assertThrows(HandlerFailure.class, () -> handler.run(template));
  }
}

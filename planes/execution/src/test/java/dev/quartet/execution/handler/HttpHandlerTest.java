package dev.quartet.execution.handler;

import static dev.quartet.execution.handler.Invocations.text;
import static dev.quartet.execution.handler.Invocations.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quartet.execution.policy.ToolDefinition;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpHandlerTest {
  private final ConcurrentLinkedQueue<Map<String, String>> requests = new ConcurrentLinkedQueue<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final byte[] big = new byte[5000];
  private ExecutorService pool;
  private HttpServer server;
  private int port;
  private final HttpHandler handler = new HttpHandler(HostResolver.SYSTEM);

  @BeforeEach
  void start() throws IOException {
    new Random(5150L).nextBytes(big);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    pool = Executors.newFixedThreadPool(4);
    server.setExecutor(pool);
    server.createContext("/", this::serve);
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    server.stop(0);
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "test server threads did not stop");
  }

  private void serve(HttpExchange ex) throws IOException {
    Map<String, String> seen = new HashMap<>();
    seen.put("path", ex.getRequestURI().getPath());
    seen.put("method", ex.getRequestMethod());
    seen.put("idempotency-key", String.valueOf(ex.getRequestHeaders().getFirst("Idempotency-Key")));
    seen.put("body", new String(ex.getRequestBody().readAllBytes()));
    requests.add(seen);
    String path = ex.getRequestURI().getPath();
    try (ex) {
      switch (path) {
        case "/hello" -> respond(ex, 200, utf8("hello"), "text/plain");
        case "/echo" -> respond(ex, 200, utf8(seen.get("body")), "application/json");
        case "/big" -> respond(ex, 200, big, "application/octet-stream");
        case "/big-chunked" -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(big);
          }
        }
        case "/to-hello" -> redirect(ex, 302, "/hello");
        case "/to-post-echo" -> redirect(ex, 307, "/echo");
        case "/to-metadata" -> redirect(ex, 302, "http://169.254.169.254/latest/meta-data/");
        case "/to-localhost" -> redirect(ex, 302, "http://localhost:" + port + "/hello");
        case "/loop" -> redirect(ex, 302, "/loop");
        case "/slow" -> {
          awaitRelease();
          respond(ex, 200, utf8("late"), "text/plain");
        }
        case "/busy" -> respond(ex, 503, new byte[0], "text/plain");
        case "/limited" -> respond(ex, 429, new byte[0], "text/plain");
        default -> respond(ex, 404, new byte[0], "text/plain");
      }
    }
  }

  private void awaitRelease() {
    try {
      release.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void respond(HttpExchange ex, int status, byte[] body, String type) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  private static void redirect(HttpExchange ex, int status, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(status, -1);
  }

  private HandlerInvocation call(String url, Map<String, String> extra, HandlerLimits limits, Set<String> egress) {
    Map<String, String> params = new HashMap<>(extra);
    params.put("url", url);
    return Invocations.of(new ToolDefinition("fetch", "http", List.of()), params, utf8("{\"n\":1}"), limits, egress);
  }

  private HandlerInvocation get(String path) {
    return call("http://127.0.0.1:" + port + path, Map.of(), Invocations.LIMITS, Set.of("127.0.0.1:" + port));
  }

  @Test
  void getsFromAnAllowlistedAddressSendingTheIdempotencyKey() throws Exception {
    HandlerOutput out = handler.run(get("/hello"));
    assertEquals("hello", text(out));
    assertEquals("text/plain", out.contentType());
    Map<String, String> seen = requests.peek();
    assertEquals("GET", seen.get("method"));
    assertEquals("idem-123", seen.get("idempotency-key"));
  }

  @Test
  void postsTheInputAsTheBody() throws Exception {
    HandlerOutput out = handler.run(call("http://127.0.0.1:" + port + "/echo", Map.of("method", "POST"),
        Invocations.LIMITS, Set.of("127.0.0.1:" + port)));
    assertEquals("{\"n\":1}", text(out));
    assertEquals("POST", requests.peek().get("method"));
  }

  @Test
  void readsContentLengthAndChunkedBodiesExactly() throws Exception {
    assertArrayEquals(big, handler.run(get("/big")).bytes());
    assertArrayEquals(big, handler.run(get("/big-chunked")).bytes());
  }

  @Test
  void refusesAPortThatIsNotAllowlistedWithoutConnecting() {
    HandlerInvocation call = call("http://127.0.0.1:" + port + "/hello", Map.of(), Invocations.LIMITS,
        Set.of("127.0.0.1:" + (port == 65535 ? 1 : port + 1)));
    HandlerFailure f = assertThrows(HandlerFailure.class, () -> handler.run(call));
    assertFalse(f.retryable());
    assertTrue(f.reason().contains("not in the egress allowlist"), f.reason());
    assertTrue(requests.isEmpty(), "no request may reach the server");
  }

  @Test
  void localhostIsRefusedUnlessReachedThroughAnAllowlistedIpLiteral() {
    HandlerFailure onlyLiteralListed = assertThrows(HandlerFailure.class, () -> handler.run(call(
        "http://localhost:" + port + "/hello", Map.of(), Invocations.LIMITS, Set.of("127.0.0.1:" + port))));
    assertTrue(onlyLiteralListed.reason().contains("not in the egress allowlist"), onlyLiteralListed.reason());
    HandlerFailure nameListed = assertThrows(HandlerFailure.class, () -> handler.run(call(
        "http://localhost:" + port + "/hello", Map.of(), Invocations.LIMITS, Set.of("localhost:" + port))));
    assertFalse(nameListed.retryable());
    assertTrue(nameListed.reason().contains("non-public address"), nameListed.reason());
    assertTrue(requests.isEmpty(), "no request may reach the server");
  }

  @Test
  void followsARedirectToAnAllowlistedTarget() throws Exception {
    assertEquals("hello", text(handler.run(get("/to-hello"))));
    assertEquals(List.of("/to-hello", "/hello"), requests.stream().map(r -> r.get("path")).toList());
    assertTrue(requests.stream().allMatch(r -> r.get("idempotency-key").equals("idem-123")));
  }

  @Test
  void a307KeepsTheMethodAndBody() throws Exception {
    HandlerOutput out = handler.run(call("http://127.0.0.1:" + port + "/to-post-echo", Map.of("method", "POST"),
        Invocations.LIMITS, Set.of("127.0.0.1:" + port)));
    assertEquals("{\"n\":1}", text(out));
  }

  @Test
  void refusesARedirectToTheMetadataAddress() {
    HandlerFailure f = assertThrows(HandlerFailure.class, () -> handler.run(get("/to-metadata")));
    assertFalse(f.retryable());
    assertTrue(f.reason().contains("169.254.169.254:80"), f.reason());
  }

  @Test
  void rechecksTheResolvedAddressOfEveryRedirectHop() {
    HandlerInvocation call = call("http://127.0.0.1:" + port + "/to-localhost", Map.of(), Invocations.LIMITS,
        Set.of("127.0.0.1:" + port, "localhost:" + port));
    HandlerFailure f = assertThrows(HandlerFailure.class, () -> handler.run(call));
    assertTrue(f.reason().contains("non-public address"), f.reason());
    assertEquals(List.of("/to-localhost"), requests.stream().map(r -> r.get("path")).toList());
  }

  @Test
  void boundsTheNumberOfRedirects() {
    HandlerFailure f = assertThrows(HandlerFailure.class, () -> handler.run(get("/loop")));
    assertTrue(f.reason().contains("more than 3 redirects"), f.reason());
    assertEquals(4, requests.size());
  }

  @Test
  void aResponseOverTheLimitFails() {
    for (String path : List.of("/big", "/big-chunked")) {
      HandlerInvocation call = call("http://127.0.0.1:" + port + path, Map.of(),
          Invocations.limits(Duration.ofSeconds(10), 1000), Set.of("127.0.0.1:" + port));
      HandlerFailure f = assertThrows(HandlerFailure.class, () -> handler.run(call), path);
      assertFalse(f.retryable());
      assertTrue(f.reason().contains("exceeds the limit of 1000"), f.reason());
    }
  }

  @Test
  void aSlowServerTimesOutRetryably() {
    HandlerInvocation call = call("http://127.0.0.1:" + port + "/slow", Map.of(),
        Invocations.limits(Duration.ofMillis(500), 1000), Set.of("127.0.0.1:" + port));
    long start = System.nanoTime();
    HandlerFailure f = assertThrows(HandlerFailure.class, () -> handler.run(call));
    assertTrue(f.retryable());
    assertTrue(f.reason().contains("timed out"), f.reason());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "the timeout should end the wait");
  }

  @Test
  void serverErrorsAndThrottlingAreRetryableClientErrorsAreNot() {
    HandlerFailure busy = assertThrows(HandlerFailure.class, () -> handler.run(get("/busy")));
    assertTrue(busy.retryable() && busy.reason().contains("503"), busy.reason());
    HandlerFailure limited = assertThrows(HandlerFailure.class, () -> handler.run(get("/limited")));
    assertTrue(limited.retryable() && limited.reason().contains("429"), limited.reason());
    HandlerFailure missing = assertThrows(HandlerFailure.class, () -> handler.run(get("/missing")));
    assertFalse(missing.retryable());
    assertTrue(missing.reason().contains("404"), missing.reason());
  }

  @Test
  void anInterruptAbortsTheRequestPromptly() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        handler.run(call("http://127.0.0.1:" + port + "/slow", Map.of(), Invocations.limits(Duration.ofSeconds(60), 1000),
            Set.of("127.0.0.1:" + port)));
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    runner.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> !requests.isEmpty());
    runner.interrupt();
    runner.join(Duration.ofSeconds(5).toMillis());
    assertFalse(runner.isAlive(), "the handler should return within 5 s of an interrupt");
    assertInstanceOf(InterruptedException.class, thrown.get());
  }

  @Test
  void refusesOtherSchemesUserInfoAndMethods() {
    Set<String> egress = Set.of("127.0.0.1:" + port);
    for (String url : List.of("file:///etc/passwd", "ftp://127.0.0.1:" + port + "/", "http://u:p@127.0.0.1:" + port + "/")) {
      HandlerFailure f = assertThrows(HandlerFailure.class,
          () -> handler.run(call(url, Map.of(), Invocations.LIMITS, egress)), url);
      assertFalse(f.retryable());
    }
    assertThrows(HandlerFailure.class, () -> handler.run(call("http://127.0.0.1:" + port + "/hello",
        Map.of("method", "DELETE"), Invocations.LIMITS, egress)));
    assertTrue(requests.isEmpty());
  }

  @Test
  void aNameResolvingToAPublicAndAnInternalAddressIsRefused() {
    // A rebinding-style answer: one good address is not enough, every address must pass.
    HttpHandler rebinding = new HttpHandler(host -> List.of(InetAddress.getByName("93.184.215.14"),
        InetAddress.getByName("127.0.0.1")));
    HandlerFailure f = assertThrows(HandlerFailure.class, () -> rebinding.run(call("http://example.test:" + port + "/",
        Map.of(), Invocations.LIMITS, Set.of("example.test:" + port))));
    assertTrue(f.reason().contains("non-public address"), f.reason());
  }

  @Test
  void aResolverThatHangsIsBoundedByTheConnectTimeout() {
    HttpHandler hanging = new HttpHandler(host -> {
      awaitRelease();
      return List.of();
    });
    HandlerLimits limits = new HandlerLimits(Duration.ofSeconds(30), 1000, Duration.ofMillis(300), 3, 4096);
    long start = System.nanoTime();
    HandlerFailure f = assertThrows(HandlerFailure.class, () -> hanging.run(call("http://slow.test:" + port + "/",
        Map.of(), limits, Set.of("slow.test:" + port))));
    assertTrue(f.retryable());
    assertTrue(f.reason().contains("resolving slow.test:" + port + " timed out"), f.reason());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "resolution should end at the bound");
  }
}

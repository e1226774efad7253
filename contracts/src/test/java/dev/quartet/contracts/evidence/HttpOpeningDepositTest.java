package dev.quartet.contracts.evidence;

import com.sun.net.httpserver.HttpServer;
import dev.quartet.contracts.trust.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deposit against a local JDK HTTP server standing in for the evidence plane's endpoint. */
class HttpOpeningDepositTest {
  private HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicReference<String> path = new AtomicReference<>();
  private final AtomicReference<String> authorization = new AtomicReference<>();
  private final AtomicReference<byte[]> body = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      path.set(exchange.getRequestURI().getPath());
      authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
      body.set(exchange.getRequestBody().readAllBytes());
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void postsEachOpeningWithTheDepositorToken() throws Exception {
    RedactedEvent r = Redaction.redact(RedactionTest.event(Map.of("subject", "alice@example.com", "jti", "j")),
        Set.of("subject"), new Random(5));
    deposit(Optional.of("depositor-token")).deposit("ev-1", r.openings());
    assertEquals("/v1/evidence/redactions/ev-1", path.get());
    assertEquals("Bearer depositor-token", authorization.get());
    Map<?, ?> json = (Map<?, ?>) JsonParser.parse(body.get());
    Map<?, ?> opening = (Map<?, ?>) ((List<?>) json.get("openings")).get(0);
    assertEquals("subject", opening.get("attribute"));
    assertEquals("alice@example.com", opening.get("value"));
    byte[] salt = Base64.getDecoder().decode((String) opening.get("salt"));
    assertEquals(r.event().getAttributes().get("subject"), Redaction.commitment(salt, "alice@example.com"),
        "salt and value sent open the event's commitment");
  }

  @Test
  void overloadAndServerErrorsAreRetryableRefusalsAreNot() {
    RedactedEvent r = Redaction.redact(RedactionTest.event(Map.of("subject", "bob")), Set.of("subject"), new Random(6));
    for (int code : new int[] {429, 500, 503}) {
      status.set(code);
      var e = assertThrows(OpeningDepositException.class, () -> deposit(Optional.of("t")).deposit("ev-2", r.openings()));
      assertTrue(e.retryable(), code + " is retryable");
      assertFalse(e.getMessage().contains("bob"), "no value in " + e.getMessage());
    }
    for (int code : new int[] {400, 401, 403, 404}) {
      status.set(code);
      var e = assertThrows(OpeningDepositException.class, () -> deposit(Optional.of("t")).deposit("ev-2", r.openings()));
      assertFalse(e.retryable(), code + " is final");
    }
  }

  @Test
  void noCredentialIsFinalAndAnUnreachablePlaneRetryable() throws Exception {
    RedactedEvent r = Redaction.redact(RedactionTest.event(Map.of("subject", "carol")), Set.of("subject"), new Random(7));
    var noToken = assertThrows(OpeningDepositException.class, () -> deposit(Optional.empty()).deposit("ev-3", r.openings()));
    assertFalse(noToken.retryable(), noToken.getMessage());
    int port = server.getAddress().getPort();
    server.stop(0);
    var down = new HttpOpeningDeposit(() -> Optional.of(URI.create("http://127.0.0.1:" + port)), () -> Optional.of("t"),
        Duration.ofSeconds(2), Duration.ofSeconds(2));
    var unreachable = assertThrows(OpeningDepositException.class, () -> down.deposit("ev-3", r.openings()));
    assertTrue(unreachable.retryable(), unreachable.getMessage());
  }

  private HttpOpeningDeposit deposit(Optional<String> token) {
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    return new HttpOpeningDeposit(() -> Optional.of(base), () -> token, Duration.ofSeconds(2), Duration.ofSeconds(5));
  }
}

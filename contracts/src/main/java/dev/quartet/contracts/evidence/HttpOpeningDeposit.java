package dev.quartet.contracts.evidence;

import dev.quartet.contracts.trust.CanonicalJson;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Deposits openings at the evidence plane's {@code POST /v1/evidence/redactions/{eventId}} with a
 * bearer token of the depositor role. The request body is the only place a value travels; nothing
 * here logs it, and failures name the status or exception class only.
 */
public final class HttpOpeningDeposit implements OpeningDeposit {
  private final HttpClient http;
  private final Supplier<Optional<URI>> evidenceUrl;
  private final Supplier<Optional<String>> bearer;
  private final Duration requestTimeout;

  /** Deposits at {@code evidenceUrl} (resolved per attempt) with tokens from {@code bearer}, each request bounded by {@code requestTimeout}. */
  public HttpOpeningDeposit(Supplier<Optional<URI>> evidenceUrl, Supplier<Optional<String>> bearer,
                            Duration connectTimeout, Duration requestTimeout) {
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.evidenceUrl = evidenceUrl;
    this.bearer = bearer;
    this.requestTimeout = requestTimeout;
  }

  @Override
  public void deposit(String eventId, List<Redaction.Opening> openings) throws OpeningDepositException, InterruptedException {
    // Retryable: a local evidence plane whose server is not up yet appears here too.
    URI base = evidenceUrl.get().orElseThrow(() -> new OpeningDepositException(true,
        "no evidence plane to deposit at (quartet.evidence-client.redaction.evidence-url)"));
    String token = bearer.get().orElseThrow(() -> new OpeningDepositException(false,
        "no depositor credential (quartet.security.token-secret is unset)"));
    URI target = URI.create(base.toString().replaceAll("/+$", "") + "/v1/evidence/redactions/"
        + URLEncoder.encode(eventId, StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(target).timeout(requestTimeout)
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .header("X-Correlation-Id", eventId)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body(openings))).build();
    HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new OpeningDepositException(true, "evidence plane unreachable (" + e.getClass().getSimpleName() + ")");
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      // 429 and 5xx may pass; 400 (malformed), 401/403 (credential) and 404 (no evidence plane there) will not.
      throw new OpeningDepositException(status == 429 || status >= 500, "evidence plane answered " + status);
    }
  }

  /** The deposit body: {@code {"openings":[{"attribute","salt" (base64),"value"}]}}. */
  static byte[] body(List<Redaction.Opening> openings) {
    List<Object> items = new ArrayList<>();
    for (Redaction.Opening o : openings) {
      items.add(Map.of("attribute", o.attribute(), "salt", Base64.getEncoder().encodeToString(o.salt()), "value", o.value()));
    }
    return CanonicalJson.serialize(Map.of("openings", items));
  }
}

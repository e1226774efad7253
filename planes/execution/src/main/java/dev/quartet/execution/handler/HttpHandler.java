package dev.quartet.execution.handler;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;

/**
 * Kind {@code http}: one request to param {@code url} with param {@code method} ({@code GET}, the
 * default, or {@code POST}, which sends the input as the body with param {@code contentType},
 * default {@code application/octet-stream}). Egress is denied by default; see {@link EgressGuard}
 * for the rule, which is applied again to every redirect hop (followed by hand, at most
 * {@code maxRedirects}; an https → http downgrade is refused). Every request carries
 * {@code Idempotency-Key}. 2xx → output; 5xx, 408, 429, timeouts and connection failures →
 * retryable; any other status → permanent. Failure reasons name host:port, never path or query.
 */
public final class HttpHandler implements TaskHandler {
  private static final Pattern HEADER_VALUE = Pattern.compile("[\\x20-\\x7e]{1,200}");

  private final EgressGuard guard;
  private final HttpWire wire;

  /** A handler resolving with {@code resolver} and trusting the JDK's default TLS trust store. */
  public HttpHandler(HostResolver resolver) {
    this(resolver, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** A handler resolving with {@code resolver} and making TLS connections with {@code tls}. */
  public HttpHandler(HostResolver resolver, SSLSocketFactory tls) {
    this.guard = new EgressGuard(resolver);
    this.wire = new HttpWire(tls);
  }

  @Override
  public String kind() {
    return "http";
  }

  @Override
  public HandlerOutput run(HandlerInvocation call) throws HandlerFailure, InterruptedException {
    HandlerLimits limits = call.limits();
    HttpWire.Deadline deadline = new HttpWire.Deadline(System.nanoTime() + limits.timeout().toNanos(),
        limits.timeout().toString());
    String method = call.param("method", "GET");
    if (!method.equals("GET") && !method.equals("POST")) {
      throw HandlerFailure.permanent("http: method must be GET or POST");
    }
    byte[] body = method.equals("POST") ? call.input() : null;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Idempotency-Key", headerValue("idempotency key", call.idempotencyKey()));
    headers.put("User-Agent", "quartet-http-handler");
    headers.put("Accept", "*/*");
    URI current = url(call.params().get("url"));
    for (int hop = 0; ; hop++) {
      long resolveMillis = Math.min(limits.connectTimeout().toMillis(), deadline.remainingMillis());
      List<InetAddress> addresses = guard.check(current, call.egress(), resolveMillis);
      Map<String, String> sent = new LinkedHashMap<>(headers);
      if (body != null) {
        sent.put("Content-Type", headerValue("contentType", call.param("contentType", "application/octet-stream")));
      }
      HttpWire.Response r = wire.exchange(addresses, current, method, body, sent, limits, deadline);
      String target = EgressGuard.bareHost(current) + ":" + EgressGuard.port(current);
      if (isRedirect(r.status())) {
        if (hop >= limits.maxRedirects()) {
          throw HandlerFailure.permanent("http: more than " + limits.maxRedirects() + " redirects");
        }
        URI next = redirect(current, r.location(), target);
        // RFC 9110 §15.4: 303 (and, as every client does, 301/302 after a POST) continue as GET.
        if (r.status() == 303 || (method.equals("POST") && (r.status() == 301 || r.status() == 302))) {
          method = "GET";
          body = null;
        }
        current = next;
        continue;
      }
      return outcome(r, target);
    }
  }

  private static HandlerOutput outcome(HttpWire.Response r, String target) throws HandlerFailure {
    int s = r.status();
    if (s >= 200 && s < 300) {
      String type = r.contentType() != null && HEADER_VALUE.matcher(r.contentType()).matches()
          ? r.contentType() : "application/octet-stream";
      return new HandlerOutput(r.body(), type);
    }
    String reason = "http: " + target + " answered " + s;
    if (s >= 500 || s == 408 || s == 429) {
      throw HandlerFailure.retryable(reason);
    }
    throw HandlerFailure.permanent(reason);
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static URI redirect(URI from, String location, String target) throws HandlerFailure {
    if (location == null || location.isBlank()) {
      throw HandlerFailure.permanent("http: redirect from " + target + " without a Location");
    }
    URI next;
    try {
      next = from.resolve(new URI(location.trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw HandlerFailure.permanent("http: redirect from " + target + " to a malformed Location");
    }
    checkShape(next);
    if ("https".equalsIgnoreCase(from.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
      throw HandlerFailure.permanent("http: redirect from " + target + " downgrades https to http");
    }
    return next;
  }

  private static URI url(String text) throws HandlerFailure {
    if (text == null || text.isBlank()) {
      throw HandlerFailure.permanent("http: param 'url' is required");
    }
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw HandlerFailure.permanent("http: param 'url' is not a URL");
    }
    checkShape(uri);
    return uri;
  }

  private static void checkShape(URI uri) throws HandlerFailure {
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw HandlerFailure.permanent("http: only http and https URLs are allowed");
    }
    if (uri.getRawUserInfo() != null) {
      throw HandlerFailure.permanent("http: URLs with user info are refused");
    }
    EgressGuard.bareHost(uri);
  }

  private static String headerValue(String what, String value) throws HandlerFailure {
    // No CR/LF or other controls: a header value must not be able to start a new header.
    if (!HEADER_VALUE.matcher(value).matches()) {
      throw HandlerFailure.permanent("http: " + what + " must be 1-200 printable ASCII characters");
    }
    return value;
  }
}
